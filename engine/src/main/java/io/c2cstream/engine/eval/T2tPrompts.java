package io.c2cstream.engine.eval;

import io.c2cstream.engine.tokenizer.ChatMessage;
import java.util.List;

/**
 * The conversations of the text-to-text baseline (method §6.4, the reference's {@code TwoStageInference}):
 * the sharer writes background for the question without its options; the receiver then answers the full
 * multiple-choice prompt after that exchange. Both go through the model's own chat template with a generation
 * prompt and thinking disabled.
 */
public final class T2tPrompts {

    /** The reference's default background prompt. */
    public static final String BACKGROUND =
            "Briefly describe the most useful background to solve the problem:\n\n{question}";

    /**
     * The alternative left commented out in the reference's eval configuration; which of the two produced the
     * paper's T2T numbers is not recorded.
     */
    public static final String ONE_SENTENCE_BACKGROUND = "In one clear sentence, describe the most essential"
            + " background knowledge needed to answer the question: {question}";

    private T2tPrompts() {}

    /**
     * A background prompt with the question filled in.
     *
     * @param template a prompt with one {@code {question}} field, such as {@link #BACKGROUND}
     */
    public static String background(String template, String question) {
        if (!template.contains("{question}")) {
            throw new IllegalArgumentException("a background prompt needs a {question} field: " + template);
        }
        return template.replace("{question}", question);
    }

    /** Stage 1, for the sharer: one user turn asking for background on the question without its options. */
    public static List<ChatMessage> sharerConversation(String template, BenchmarkItem item) {
        return List.of(ChatMessage.user(background(template, item.question())));
    }

    /**
     * Stage 2, for the receiver: the same user turn, the sharer's decoded answer as the assistant turn, then the
     * multiple-choice prompt of {@link McqPrompt}.
     */
    public static List<ChatMessage> receiverConversation(String template, BenchmarkItem item, String sharerText) {
        return List.of(ChatMessage.user(background(template, item.question())), ChatMessage.assistant(sharerText),
                ChatMessage.user(McqPrompt.of(item)));
    }
}
