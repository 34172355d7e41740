package io.c2cstream.engine.fuser;

import java.util.SplittableRandom;

/**
 * Dropout masks for training (method §1.4): each element kept with probability 1 − p, to a resolution of
 * 2⁻³², and scaled by 1/(1 − p) so that the expected output is unchanged. A fuser step needs a mask per FFN
 * block and path, millions of elements: each 64-bit draw of a seeded {@link SplittableRandom} decides two,
 * where one {@code java.util.Random} draw per element took a fifth of the step.
 */
final class InvertedDropout {
    private InvertedDropout() {}

    /** A mask of {@code size} elements, each 0 or 1/(1 − p); the same seed gives the same mask. */
    static float[] mask(int size, double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
        }
        double keep = 1 - p;
        long threshold = (long) (keep * 0x1p32);
        float scale = (float) (1 / keep);
        float[] mask = new float[size];
        SplittableRandom bits = new SplittableRandom(seed);
        for (int i = 0; i < size; i += 2) {
            long draw = bits.nextLong();
            mask[i] = draw >>> 32 < threshold ? scale : 0f;
            if (i + 1 < size) {
                mask[i + 1] = (draw & 0xFFFF_FFFFL) < threshold ? scale : 0f;
            }
        }
        return mask;
    }
}
