package io.c2cstream.engine.generate;

import java.util.Set;

/**
 * How tokens are chosen and when generation stops.
 *
 * @param maxNewTokens at most this many tokens are generated (an end token counts)
 * @param temperature  0 for greedy decoding; otherwise logits are divided by it before sampling
 * @param topK         keep only the k most likely tokens (0: all)
 * @param topP         keep the smallest set of most likely tokens whose probability reaches p (1: all)
 * @param seed         seeds each sequence's random stream, so a sampled answer is reproducible
 * @param stopTokens   generation of a sequence ends after any of these ids
 */
public record SamplingConfig(int maxNewTokens, double temperature, int topK, double topP, long seed, Set<Integer> stopTokens) {

    public SamplingConfig {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be at least 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 disables it), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        stopTokens = Set.copyOf(stopTokens);
    }

    /** Greedy decoding of up to {@code maxNewTokens}, stopping on any of {@code stopTokens}. */
    public static SamplingConfig greedy(int maxNewTokens, Set<Integer> stopTokens) {
        return new SamplingConfig(maxNewTokens, 0, 0, 1, 0, stopTokens);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
