package io.c2cstream.engine.generate;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * One sequence being decoded: its own sampler (so its tokens do not depend on its neighbours in a batch), the
 * tokens picked so far, when it stops, and the {@link Generation} it becomes. Shared by {@link Generator} and
 * {@link ContinuousDecoder}.
 */
final class DecodingSequence {
    private final SamplingConfig config;
    private final TokenSampler sampler;
    private final long startNanos;
    private final List<Integer> tokens = new ArrayList<>();
    private long firstTokenNanos;
    private boolean done;

    /** @param startNanos when the prefill began; the prefill time runs from it to the first token */
    DecodingSequence(SamplingConfig config, long startNanos) {
        this.config = config;
        this.sampler = new TokenSampler(config);
        this.startNanos = startNanos;
    }

    /** Records the next token; returns whether the sequence is now done (a stop token or its token limit). */
    boolean add(int token) {
        if (done) {
            throw new IllegalStateException("sequence already finished");
        }
        if (tokens.isEmpty()) {
            firstTokenNanos = System.nanoTime();
        }
        tokens.add(token);
        done = config.stopTokens().contains(token) || tokens.size() >= config.maxNewTokens();
        return done;
    }

    boolean isDone() {
        return done;
    }

    /** The token to feed next: the last one picked. */
    int lastToken() {
        return tokens.get(tokens.size() - 1);
    }

    /** Tokens it may still generate, so columns a cache must have room for. */
    int remainingTokens() {
        return config.maxNewTokens() - tokens.size();
    }

    /** The finished sequence: its decode time runs from the first token to {@code endNanos}. */
    Generation finish(Function<int[], String> detokenizer, long endNanos) {
        int[] ids = tokens.stream().mapToInt(Integer::intValue).toArray();
        boolean stopped = config.stopTokens().contains(ids[ids.length - 1]);
        int[] textIds = stopped ? Arrays.copyOf(ids, ids.length - 1) : ids;
        return new Generation(ids, detokenizer.apply(textIds),
                stopped ? Generation.FinishReason.STOP_TOKEN : Generation.FinishReason.MAX_TOKENS,
                (firstTokenNanos - startNanos) / 1e6, (endNanos - firstTokenNanos) / 1e6);
    }

    /**
     * Picks the next token of every unfinished sequence from logits {@code [rows, 1, vocab]}, row {@code b} for
     * {@code rows.get(b)}; finished or absent ({@code null}) rows get -1. Greedy picks stay on the device (one
     * small array comes back); only sampling needs the full rows.
     */
    static int[] pick(NDArray logits, List<DecodingSequence> rows) {
        int[] next = new int[rows.size()];
        Arrays.fill(next, -1);
        boolean anyGreedy = rows.stream().anyMatch(s -> s != null && !s.done && s.config.isGreedy());
        boolean anySampled = rows.stream().anyMatch(s -> s != null && !s.done && !s.config.isGreedy());
        if (anyGreedy) {
            long[] best;
            try (NDArray argMax = logits.argMax(-1)) {
                best = argMax.toLongArray();
            }
            for (int b = 0; b < next.length; b++) {
                DecodingSequence s = rows.get(b);
                if (s != null && !s.done && s.config.isGreedy()) {
                    next[b] = (int) best[b];
                }
            }
        }
        if (anySampled) {
            float[] all = logits.toFloatArray();
            int vocab = all.length / next.length;
            for (int b = 0; b < next.length; b++) {
                DecodingSequence s = rows.get(b);
                if (s != null && !s.done && !s.config.isGreedy()) {
                    next[b] = s.sampler.next(Arrays.copyOfRange(all, b * vocab, (b + 1) * vocab));
                }
            }
        }
        return next;
    }
}
