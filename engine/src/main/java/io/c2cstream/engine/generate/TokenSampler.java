package io.c2cstream.engine.generate;

import java.util.Arrays;
import java.util.Random;

/** Picks the next token of one sequence from its logits: greedy, or temperature with top-k and top-p. */
final class TokenSampler {
    private final SamplingConfig config;
    private final Random random;

    TokenSampler(SamplingConfig config) {
        this.config = config;
        this.random = new Random(config.seed());
    }

    int next(float[] logits) {
        if (config.isGreedy()) {
            return argMax(logits);
        }
        int[] candidates = mostLikelyFirst(logits);
        int keep = config.topK() > 0 ? Math.min(config.topK(), candidates.length) : candidates.length;
        double[] weights = new double[keep];
        double max = logits[candidates[0]] / config.temperature();
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            weights[i] = Math.exp(logits[candidates[i]] / config.temperature() - max);
            sum += weights[i];
        }
        // Nucleus: the shortest prefix of the sorted distribution whose mass reaches top-p.
        int nucleus = keep;
        double mass = 0;
        for (int i = 0; i < keep && config.topP() < 1; i++) {
            mass += weights[i] / sum;
            if (mass >= config.topP()) {
                nucleus = i + 1;
                break;
            }
        }
        double total = 0;
        for (int i = 0; i < nucleus; i++) {
            total += weights[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < nucleus; i++) {
            u -= weights[i];
            if (u < 0) {
                return candidates[i];
            }
        }
        return candidates[nucleus - 1];
    }

    /** Token ids by descending logit (ties: lower id first), sorting primitive keys rather than boxed ids. */
    private static int[] mostLikelyFirst(float[] logits) {
        long[] keys = new long[logits.length];
        for (int i = 0; i < logits.length; i++) {
            int bits = Float.floatToIntBits(logits[i]);
            int ascending = bits < 0 ? ~bits : bits | Integer.MIN_VALUE;  // orders like the float, as unsigned
            long descending = 0xffffffffL - (ascending & 0xffffffffL);
            keys[i] = ((descending << 32) | i) ^ Long.MIN_VALUE;  // unsigned order as signed order
        }
        Arrays.sort(keys);
        int[] order = new int[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    static int argMax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
