package io.c2cstream.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

/** Comparing logits: the engine's tolerance is a relative error (max |a − b| / max |b|) of at most 1e-4 in f32. */
final class LogitAssertions {
    static final double TOLERANCE = 1e-4;

    private LogitAssertions() {}

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        assertTrue(maxRef > 0, what + ": reference logits are all zero");
        assertTrue(maxDiff <= TOLERANCE * maxRef, what + ": relative error " + maxDiff / maxRef);
    }

    /** Row {@code r} of a flattened {@code [rows, vocab]} array. */
    static float[] row(float[] batch, int r, int vocab) {
        return Arrays.copyOfRange(batch, r * vocab, (r + 1) * vocab);
    }
}
