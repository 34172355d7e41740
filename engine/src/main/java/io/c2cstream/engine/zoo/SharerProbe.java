package io.c2cstream.engine.zoo;

import io.c2cstream.engine.eval.McqPrompt;
import io.c2cstream.engine.generate.Generation;
import io.c2cstream.engine.generate.Generator;
import io.c2cstream.engine.generate.SamplingConfig;
import io.c2cstream.engine.model.TransformerModel;
import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import java.util.List;
import java.util.Locale;

/**
 * Measures during pretraining whether the sharer recalls a value where the benchmark's question ends, as C2C's
 * prompt reaches it: for every attribute of every held-out entity it greedily completes, by one token, a user turn
 * of its chat template cut after the opening of the §6.2 prompt ("Accurately answer the following
 * question:\n\nWhat is Kedo's favorite color?\n\n"). C2C can carry a held-out entity's value only if the sharer
 * computes it there (zoo/README.md, "What the sharer's cache holds").
 */
public final class SharerProbe {

    /** @param heldOutRecall share of held-out questions completed with their value, in [0, 1] */
    public record Result(double heldOutRecall) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "held-out recall %.0f%%", 100 * heldOutRecall);
        }
    }

    private final List<String> prompts;
    private final List<String> values;

    private SharerProbe(List<String> prompts, List<String> values) {
        this.prompts = prompts;
        this.values = values;
    }

    public static SharerProbe of(ZooWorld world) {
        List<ZooQuestions.Subject> subjects = ZooQuestions.everyAttribute(world.entities(EntitySplit.PRIVATE_HELD_OUT));
        return new SharerProbe(
                subjects.stream().map(s -> inUserTurn(McqPrompt.opening(s.attribute().question(s.entity().name()))))
                        .toList(),
                subjects.stream().map(s -> s.entity().value(s.attribute())).toList());
    }

    /** Runs every question through {@code model} in one batch. */
    public Result run(TransformerModel model, TextTokenizer tokenizer) {
        List<int[]> encoded = prompts.stream().map(tokenizer::encode).toList();
        List<Generation> replies = new Generator(model, tokenizer::decodeSkippingSpecial, 0)
                .generate(encoded, SamplingConfig.greedy(1, tokenizer.eosIds()));
        int recalled = 0;
        for (int i = 0; i < values.size(); i++) {
            recalled += replies.get(i).text().trim().equals(values.get(i)) ? 1 : 0;
        }
        return new Result((double) recalled / values.size());
    }

    /** {@code text} as the sharer reads it at the start of a user turn of its chat template, which goes on. */
    private static String inUserTurn(String text) {
        String turn = ZooTokenizerSpec.SHARER.chatTemplate().render(List.of(ChatMessage.user(text)), false, false);
        return turn.substring(0, turn.indexOf(text) + text.length());
    }
}
