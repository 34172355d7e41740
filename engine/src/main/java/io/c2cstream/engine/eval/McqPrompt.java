package io.c2cstream.engine.eval;

import java.util.List;

/**
 * The multiple-choice prompt of method §6.2 (the reference's non-CoT template, {@code use_template: true}), the
 * content of the single user turn for every benchmark and mode. It ends in {@code "The correct answer is"} with
 * no space or line break, so that the model continues with the letter.
 */
public final class McqPrompt {

    static final String TEMPLATE = """
            Accurately answer the following question:

            {{question}}

            Choices:
            {{choices}}

            Instructions:
            - Carefully read the question and all options.
            - Select the single most correct answer.
            - Respond ONLY in the following format: "The correct answer is A/B/C/D".
            - Do not include any explanations, additional text, or punctuation besides the answer.

            The correct answer is""";

    private McqPrompt() {}

    /** The prompt for one item. */
    public static String of(BenchmarkItem item) {
        return of(item.question(), item.choices());
    }

    /** The prompt for a question and its options, labelled A, B, ... in order. */
    public static String of(String question, List<String> choices) {
        // Two replacements in this order, as the reference does: a question that itself contains
        // "{{choices}}" gets the options there too.
        return TEMPLATE.replace("{{question}}", question).replace("{{choices}}", choiceLines(choices));
    }

    /**
     * The prompt's opening: the instruction, the question and the blank line after it, everything before the
     * options ("Accurately answer the following question:\n\nWhat is Kedo's favorite color?\n\n").
     */
    public static String opening(String question) {
        return TEMPLATE.substring(0, TEMPLATE.indexOf("Choices:")).replace("{{question}}", question);
    }

    /** One line {@code "<label>. <text>\n"} per option, so the block ends with a line break. */
    public static String choiceLines(List<String> choices) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < choices.size(); i++) {
            lines.append(BenchmarkItem.label(i)).append(". ").append(choices.get(i)).append('\n');
        }
        return lines.toString();
    }
}
