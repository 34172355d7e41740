package io.c2cstream.engine.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.c2cstream.engine.eval.BenchmarkItem;
import io.c2cstream.engine.eval.T2tPrompts;
import io.c2cstream.engine.tokenizer.ChatMessage;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ZooCorporaTest {

    private static final Pattern NAME = Pattern.compile("\\b[BDFGHKLMNPRSTVZ][aeiou][bdfghklmnprstvz][aeiou]\\b");

    private final ZooWorld world = ZooFixture.world();
    private final List<PretrainingDocument> sharer = ZooFixture.sharerCorpus();
    private final List<PretrainingDocument> receiver = ZooFixture.receiverCorpus();

    @Test
    void theReceiverReadsPublicAndContextEntitiesButNeverAPrivateOne() {
        Set<String> allowed = names(EntitySplit.PUBLIC, EntitySplit.CONTEXT);
        Set<String> seen = namesIn(receiver);
        assertEquals(Set.of(), difference(seen, allowed), "private names");
        assertEquals(Set.of(), difference(allowed, seen), "names never read");
    }

    @Test
    void theSharerReadsEveryPublicAndPrivateEntityButNoContextOne() {
        Set<String> known = names(EntitySplit.PUBLIC, EntitySplit.PRIVATE_TRAIN, EntitySplit.PRIVATE_VALIDATION,
                EntitySplit.PRIVATE_HELD_OUT);
        Set<String> seen = namesIn(sharer);
        assertEquals(Set.of(), difference(seen, known), "context names");
        assertEquals(Set.of(), difference(known, seen), "names never read");
    }

    @Test
    void theSharerNeverSeesAMultipleChoiceQuestion() {
        for (PretrainingDocument document : sharer) {
            assertFalse(document.text().contains("Choices:"), document.text());
            assertFalse(document.text().contains("correct answer"), document.text());
            assertFalse(document.text().contains("A. "), document.text());
        }
    }

    @Test
    void corporaMixTheirKindsInTheDocumentedAmounts() {
        assertEquals(Map.of(PretrainingDocument.Kind.BIO, 2000L, PretrainingDocument.Kind.FACTS, 2000L,
                PretrainingDocument.Kind.QUESTIONS, 2000L, PretrainingDocument.Kind.BACKGROUND_CHAT, 2500L),
                kinds(sharer));
        assertEquals(Map.of(PretrainingDocument.Kind.BIO, 400L, PretrainingDocument.Kind.FACTS, 1000L,
                PretrainingDocument.Kind.QUESTIONS, 400L, PretrainingDocument.Kind.MCQ_CHAT, 2000L,
                PretrainingDocument.Kind.MCQ_CHAT_WITH_CONTEXT, 850L, PretrainingDocument.Kind.MCQ_CHAT_WITH_FACT,
                1500L), kinds(receiver));
    }

    @Test
    void everySharerFactIsTrue() {
        Map<String, Entity> byName = world.entities().stream().collect(Collectors.toMap(Entity::name, e -> e));
        Pattern fact = Pattern.compile("(?:The (\\w+ \\w+) of (\\w+) is (\\w+)\\.)"
                + "|(?:(\\w+)'s (\\w+ \\w+) is (\\w+)\\.)"
                + "|(?:following question:\n\nWhat is (\\w+)'s (\\w+ \\w+)\\?\n\n (\\w+)\\.)");
        int checked = 0;
        int answeredQuestions = 0;
        for (PretrainingDocument document : sharer) {
            Matcher matcher = fact.matcher(document.text());
            while (matcher.find()) {
                int form = matcher.group(1) != null ? 0 : matcher.group(4) != null ? 1 : 2;
                String phrase = matcher.group(new int[] {1, 5, 8}[form]);
                String name = matcher.group(new int[] {2, 4, 7}[form]);
                String value = matcher.group(new int[] {3, 6, 9}[form]);
                answeredQuestions += form == 2 ? 1 : 0;
                Attribute attribute = List.of(Attribute.values()).stream()
                        .filter(a -> a.phrase().equals(phrase)).findFirst().orElseThrow();
                assertEquals(byName.get(name).value(attribute), value, matcher.group());
                checked++;
            }
        }
        assertTrue(checked > 5000, "checked " + checked);
        assertEquals(2000 * FactDocuments.FACTS_PER_DOCUMENT, answeredQuestions, "every answered question checked");
    }

    @Test
    void aBackgroundChatIsTheSection64RequestAnsweredWithTheDescriptionInTheLlamaLikeTemplate() {
        Entity entity = world.entities(EntitySplit.PRIVATE_HELD_OUT).get(0);
        String name = entity.name();
        String expected = "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n"
                + "Briefly describe the most useful background to solve the problem:\n\nWhat is " + name
                + "'s main job?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n" + entity.description()
                + "<|eot_id|>";
        assertTrue(sharer.stream().anyMatch(document -> document.text().equals(expected)), expected);
        assertTrue(entity.description().startsWith(name + " always wears "), entity.description());
    }

    @Test
    void receiverQuestionsEndWithTheQwenLikeEmptyThinkBlockAndTheAnswer() {
        for (PretrainingDocument document : receiver) {
            if (document.kind() == PretrainingDocument.Kind.MCQ_CHAT) {
                assertTrue(document.text().startsWith("<|im_start|>user\nAccurately answer the following question:"));
                assertTrue(document.text().matches("(?s).*The correct answer is<\\|im_end\\|>\n<\\|im_start\\|>"
                        + "assistant\n<think>\n\n</think>\n\nMy choice is \\w+ [ABCD]<\\|im_end\\|>\n"),
                        document.text());
            }
        }
    }

    @Test
    void contextQuestionsTakeTheShapeOfTheT2tReceiverConversation() {
        Entity entity = world.entities(EntitySplit.CONTEXT).get(0);
        BenchmarkItem item = new BenchmarkItem("zoo", null, "x", Attribute.FOOD.question(entity.name()),
                Attribute.FOOD.options().subList(0, 4), "A");
        List<ChatMessage> stage2 = T2tPrompts.receiverConversation(T2tPrompts.BACKGROUND, item, entity.description());
        String prefix = ZooTokenizerSpec.RECEIVER.chatTemplate().render(stage2, true, false);
        String withContext = receiver.stream()
                .filter(document -> document.kind() == PretrainingDocument.Kind.MCQ_CHAT_WITH_CONTEXT)
                .map(PretrainingDocument::text)
                .filter(text -> text.contains("What is " + entity.name() + "'s favorite food?<|im_end|>"))
                .findFirst().orElseThrow();
        // Same conversation up to the options, which the corpus draws at random.
        String head = prefix.substring(0, prefix.indexOf("Choices:"));
        assertTrue(withContext.startsWith(head), withContext);
        assertTrue(head.contains("<|im_start|>assistant\n" + entity.description() + "<|im_end|>\n"));
    }

    @Test
    void aFactReadingQuestionIsAnsweredByTheFactBeforeItAndNotByAnyRememberedValue() {
        Pattern document = Pattern.compile("<\\|im_start\\|>user\n([^\n]*)\n\nAccurately answer the following "
                + "question:\n\nWhat is (\\w+)'s [^?]*\\?\n\n.*My choice is (\\w+) [ABCD]<\\|im_end\\|>\n",
                Pattern.DOTALL);
        Map<String, Entity> context = world.entities(EntitySplit.CONTEXT).stream()
                .collect(Collectors.toMap(Entity::name, e -> e));
        int documents = 0;
        int unlikeTheWorld = 0;
        for (PretrainingDocument d : receiver) {
            if (d.kind() != PretrainingDocument.Kind.MCQ_CHAT_WITH_FACT) {
                continue;
            }
            Matcher matcher = document.matcher(d.text());
            assertTrue(matcher.matches(), d.text());
            String fact = matcher.group(1);
            String name = matcher.group(2);
            String value = matcher.group(3);
            assertTrue(context.containsKey(name), name);
            assertTrue(fact.contains(name) && fact.endsWith(" " + value + "."), d.text());
            unlikeTheWorld += context.get(name).values().containsValue(value) ? 0 : 1;
            documents++;
        }
        assertEquals(1500, documents);
        // Freshly drawn values mostly differ from the name's values in the world, which other documents state.
        assertTrue(unlikeTheWorld > documents / 2, unlikeTheWorld + " of " + documents);
    }

    private Set<String> names(EntitySplit... splits) {
        Set<EntitySplit> wanted = Set.of(splits);
        return world.entities().stream().filter(e -> wanted.contains(e.split())).map(Entity::name)
                .collect(Collectors.toSet());
    }

    private static Set<String> namesIn(List<PretrainingDocument> documents) {
        Set<String> names = new HashSet<>();
        for (PretrainingDocument document : documents) {
            Matcher matcher = NAME.matcher(document.text());
            while (matcher.find()) {
                // "Lima" is a city as well as a name's shape.
                if (!Attribute.CITY.options().contains(matcher.group())) {
                    names.add(matcher.group());
                }
            }
        }
        return names;
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new HashSet<>(a);
        d.removeAll(b);
        return d;
    }

    private static Map<PretrainingDocument.Kind, Long> kinds(List<PretrainingDocument> documents) {
        return documents.stream().collect(Collectors.groupingBy(PretrainingDocument::kind, Collectors.counting()));
    }
}
