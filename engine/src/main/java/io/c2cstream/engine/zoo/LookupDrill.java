package io.c2cstream.engine.zoo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A short plain-text drill of the option lookup, the one skill of a multiple-choice answer a small Qwen3-style
 * model does not pick up from the receiver's full corpus in its steps (zoo/README.md, "A faster loop"): the value
 * is given, only its letter has to be found.
 * <pre>
 * Find purple.
 * Choices:
 * A. red
 * B. blue
 * C. purple
 * D. green
 * My choice is purple C
 * </pre>
 * The options are laid out as in the method §6.2 prompt and the last line is the receiver's reply
 * ({@link ZooQuestions#answer}), so the lookup learnt here is the one its replies need.
 *
 * @param prompt the drill up to and including its value
 * @param gold   the letter that follows
 */
public record LookupDrill(String prompt, char gold) {

    private static final int OPTIONS = 4;

    /** Four of one random attribute's values in random order, one of them asked for. */
    public static LookupDrill draw(Random random) {
        List<String> values = new ArrayList<>(Attribute.drawn(random).options());
        Collections.shuffle(values, random);
        int gold = random.nextInt(OPTIONS);
        StringBuilder prompt = new StringBuilder("Find " + values.get(gold) + ".\nChoices:\n");
        for (int i = 0; i < OPTIONS; i++) {
            prompt.append((char) ('A' + i)).append(". ").append(values.get(i)).append('\n');
        }
        return new LookupDrill(prompt.append(ZooQuestions.ANSWER_OPENING).append(values.get(gold)).toString(),
                (char) ('A' + gold));
    }

    /** {@code count} drills as pretraining documents. */
    public static List<PretrainingDocument> documents(int count, Random random) {
        List<PretrainingDocument> documents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            documents.add(new PretrainingDocument(PretrainingDocument.Kind.LOOKUP_DRILL, draw(random).text()));
        }
        return documents;
    }

    /** The whole drill, answer included. */
    public String text() {
        return prompt + " " + gold;
    }
}
