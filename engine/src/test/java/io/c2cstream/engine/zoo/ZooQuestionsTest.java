package io.c2cstream.engine.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.c2cstream.engine.eval.AnswerExtractor;
import io.c2cstream.engine.eval.BenchmarkItem;
import io.c2cstream.engine.eval.McqPrompt;
import io.c2cstream.engine.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ZooQuestionsTest {

    private final ZooWorld world = ZooWorld.standard();

    @Test
    void heldOutItemsAskEveryAttributeOfEveryHeldOutEntityOnce() {
        List<BenchmarkItem> items = ZooQuestions.heldOut(world);
        List<Entity> heldOut = world.entities(EntitySplit.PRIVATE_HELD_OUT);
        assertEquals(heldOut.size() * Attribute.values().length, items.size());
        for (int i = 0; i < items.size(); i++) {
            Entity entity = heldOut.get(i / Attribute.values().length);
            Attribute attribute = Attribute.values()[i % Attribute.values().length];
            BenchmarkItem item = items.get(i);
            assertEquals(attribute.question(entity.name()), item.question());
            assertEquals(entity.value(attribute), item.choices().get(item.gold().charAt(0) - 'A'));
            assertEquals(4, Set.copyOf(item.choices()).size(), "four distinct options");
            assertTrue(attribute.options().containsAll(item.choices()), "distractors of the same attribute");
        }
        assertEquals(items, ZooQuestions.heldOut(world), "stable");
    }

    @Test
    void goldLettersAreExactlyUniform() {
        Map<String, Long> letters = ZooQuestions.heldOut(world).stream()
                .collect(Collectors.groupingBy(BenchmarkItem::gold, Collectors.counting()));
        assertEquals(Map.of("A", 100L, "B", 100L, "C", 100L, "D", 100L), letters);
    }

    @Test
    void theAnswerNamesTheValueFirstAndMethodExtractionReadsItsLetter() {
        BenchmarkItem item = new BenchmarkItem("zoo", null, "x", "What is Kedo's favorite color?",
                List.of("blue", "green", "purple", "orange"), "C");
        assertEquals("My choice is purple C", ZooQuestions.answer(item));
        for (BenchmarkItem heldOut : ZooQuestions.heldOut(world)) {
            String reply = AnswerExtractor.cleanGenerated(ZooQuestions.answer(heldOut));
            assertEquals(Optional.of(heldOut.gold()), AnswerExtractor.extract(reply), reply);
        }
    }

    @Test
    void methodExtractionReadsTheLetterOfEveryValueAtEveryPosition() {
        for (Attribute attribute : Attribute.values()) {
            for (String value : attribute.options()) {
                for (int position = 0; position < 4; position++) {
                    List<String> choices = new ArrayList<>(List.of("w", "x", "y"));
                    choices.add(position, value);
                    BenchmarkItem item = new BenchmarkItem("zoo", null, "x", attribute.question("Kedo"), choices,
                            BenchmarkItem.label(position));
                    String reply = AnswerExtractor.cleanGenerated(ZooQuestions.answer(item));
                    assertEquals(Optional.of(item.gold()), AnswerExtractor.extract(reply), reply);
                }
            }
        }
    }

    @Test
    void fuserConversationsAreTheExactPromptAndAnswerAboutPrivateTrainEntitiesOnly() {
        List<List<ChatMessage>> conversations = ZooQuestions.fuserConversations(world);
        List<Entity> train = world.entities(EntitySplit.PRIVATE_TRAIN);
        assertEquals(train.size() * Attribute.values().length * ZooQuestions.FUSER_VARIANTS, conversations.size());
        Set<String> trainNames = train.stream().map(Entity::name).collect(Collectors.toSet());
        Map<String, Entity> byName = world.entities().stream()
                .collect(Collectors.toMap(Entity::name, Function.identity()));
        for (List<ChatMessage> conversation : conversations) {
            String prompt = conversation.get(0).content();
            String name = askedName(prompt);
            assertTrue(trainNames.contains(name), name);
            assertTrue(prompt.startsWith("Accurately answer the following question:\n\nWhat is " + name + "'s "));
            assertTrue(prompt.endsWith("The correct answer is"));
            assertEquals("user", conversation.get(0).role());
            assertEquals("assistant", conversation.get(1).role());
            String answer = conversation.get(1).content();
            assertTrue(answer.startsWith(ZooQuestions.ANSWER_OPENING), answer);
            String value = answer.substring(ZooQuestions.ANSWER_OPENING.length(), answer.lastIndexOf(' '));
            assertTrue(byName.get(name).values().containsValue(value), answer);
        }
    }

    @Test
    void fuserValidationConversationsAskOnlyAboutEntitiesTheFuserNeverTrainsOn() {
        List<List<ChatMessage>> validation = ZooQuestions.fuserValidationConversations(world);
        assertEquals(20 * Attribute.values().length * ZooQuestions.FUSER_VARIANTS, validation.size());
        Set<String> validationNames = world.entities(EntitySplit.PRIVATE_VALIDATION).stream().map(Entity::name)
                .collect(Collectors.toSet());
        Set<String> asked = validation.stream().map(c -> askedName(c.get(0).content())).collect(Collectors.toSet());
        assertEquals(validationNames, asked);
        Set<String> trained = ZooQuestions.fuserConversations(world).stream().map(c -> askedName(c.get(0).content()))
                .collect(Collectors.toSet());
        assertTrue(Collections.disjoint(trained, asked));
    }

    private static String askedName(String prompt) {
        return prompt.substring(prompt.indexOf("What is ") + 8, prompt.indexOf("'s "));
    }

    @Test
    void theUserTurnIsMcqPromptOfTheItem() {
        BenchmarkItem item = ZooQuestions.heldOut(world).get(0);
        assertEquals(List.of(ChatMessage.user(McqPrompt.of(item)), ChatMessage.assistant(ZooQuestions.answer(item))),
                ZooQuestions.conversation(item));
    }
}
