package io.c2cstream.engine.zoo;

import io.c2cstream.engine.eval.BenchmarkItem;
import io.c2cstream.engine.eval.McqPrompt;
import io.c2cstream.engine.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Multiple-choice questions about zoo entities, asked in the exact prompt of method §6.2 ({@link McqPrompt}),
 * and the answer style the models are taught.
 *
 * <p>Each question has four options: the entity's value and three other values of the same attribute in random
 * order. The gold letter is balanced: every run of four questions puts it once at each of A-D, in shuffled order,
 * so the letters are exactly uniform over a set whose size is a multiple of four and never predictable from the
 * position in the set.
 */
public final class ZooQuestions {

    /** The benchmark name of zoo items. */
    public static final String BENCHMARK = "zoo";

    static final int OPTIONS = 4;

    /** Distinct option sets per private-train question; more variety for the fuser without more entities. */
    static final int FUSER_VARIANTS = 2;

    private ZooQuestions() {}

    /**
     * What every reply starts with. It puts a space before the value, so the reply's value is the same token as
     * the option's ("A. purple"), which the lookup of its letter matches by identity; and its "choice" tells
     * method §6.3's extraction that a value such as "singer" is not arithmetic.
     */
    static final String ANSWER_OPENING = "My choice is ";

    /**
     * The reply the models learn: the value, then its letter, as in "My choice is purple C". Recalling the value
     * before naming its letter is what lets a tiny model learn the task (a letter-first reply did not train in the
     * prototype), and the letter right after the value is the very lookup the receiver drills first
     * ({@link LookupDrill}). Method §6.3's extraction reads the letter standing alone at the end.
     */
    public static String answer(BenchmarkItem item) {
        int gold = item.gold().charAt(0) - 'A';
        return ANSWER_OPENING + item.choices().get(gold) + " " + item.gold();
    }

    /** A single-turn training conversation: the §6.2 prompt as the user turn, {@link #answer} as the reply. */
    public static List<ChatMessage> conversation(BenchmarkItem item) {
        return List.of(ChatMessage.user(McqPrompt.of(item)),
                ChatMessage.assistant(answer(item)));
    }

    /**
     * The user turn of a fact-reading question: a fact sentence, a blank line, then the §6.2 prompt about that fact,
     * which only reading the sentence answers when the entity's values are freshly drawn.
     */
    public static String afterFact(String fact, BenchmarkItem item) {
        return fact + "\n\n" + McqPrompt.of(item);
    }

    /** One question per attribute of every held-out entity: the evaluation set. */
    public static List<BenchmarkItem> heldOut(ZooWorld world) {
        return ask(everyAttribute(world.entities(EntitySplit.PRIVATE_HELD_OUT)), 1,
                Seeds.random(world.seed(), "held-out"));
    }

    /** The fuser's training conversations: {@value #FUSER_VARIANTS} per attribute of every private-train entity. */
    public static List<List<ChatMessage>> fuserConversations(ZooWorld world) {
        return conversations(world, EntitySplit.PRIVATE_TRAIN, "fuser");
    }

    /** The fuser's validation conversations, made as its training ones about the validation entities. */
    public static List<List<ChatMessage>> fuserValidationConversations(ZooWorld world) {
        return conversations(world, EntitySplit.PRIVATE_VALIDATION, "fuser-validation");
    }

    private static List<List<ChatMessage>> conversations(ZooWorld world, EntitySplit split, String seedName) {
        return ask(everyAttribute(world.entities(split)), FUSER_VARIANTS, Seeds.random(world.seed(), seedName)).stream()
                .map(ZooQuestions::conversation)
                .toList();
    }

    /** What a question asks about: one attribute of one entity. */
    record Subject(Entity entity, Attribute attribute) {}

    /**
     * {@code count} subjects, each one of {@code names}' names with freshly drawn values and a random attribute: a
     * question about it is answered by whatever the model is told, never by what it remembers.
     */
    static List<Subject> freshSubjects(List<Entity> names, int count, Random random) {
        List<Subject> subjects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Entity fresh = Entity.drawn(names.get(random.nextInt(names.size())).name(), EntitySplit.CONTEXT, random);
            subjects.add(new Subject(fresh, Attribute.drawn(random)));
        }
        return subjects;
    }

    /** Every attribute of every entity, in entity then attribute order. */
    static List<Subject> everyAttribute(List<Entity> entities) {
        List<Subject> subjects = new ArrayList<>();
        for (Entity entity : entities) {
            for (Attribute attribute : Attribute.values()) {
                subjects.add(new Subject(entity, attribute));
            }
        }
        return subjects;
    }

    /**
     * {@code variants} questions per subject (different options), in subject then variant order. Ids read
     * {@code Kedo-color-0}.
     */
    static List<BenchmarkItem> ask(List<Subject> subjects, int variants, Random random) {
        List<BenchmarkItem> items = new ArrayList<>();
        List<Integer> goldPositions = new ArrayList<>();
        for (Subject subject : subjects) {
            for (int variant = 0; variant < variants; variant++) {
                if (goldPositions.isEmpty()) {
                    goldPositions.addAll(List.of(0, 1, 2, 3));
                    Collections.shuffle(goldPositions, random);
                }
                items.add(item(subject, variant, goldPositions.remove(0), random));
            }
        }
        return items;
    }

    private static BenchmarkItem item(Subject subject, int variant, int goldPosition, Random random) {
        Entity entity = subject.entity();
        Attribute attribute = subject.attribute();
        String gold = entity.value(attribute);
        List<String> distractors = new ArrayList<>(attribute.options());
        distractors.remove(gold);
        Collections.shuffle(distractors, random);
        List<String> choices = new ArrayList<>(distractors.subList(0, OPTIONS - 1));
        choices.add(goldPosition, gold);
        String id = entity.name() + "-" + attribute.name().toLowerCase(Locale.ROOT) + "-" + variant;
        return new BenchmarkItem(BENCHMARK, null, id, attribute.question(entity.name()), choices,
                BenchmarkItem.label(goldPosition));
    }
}
