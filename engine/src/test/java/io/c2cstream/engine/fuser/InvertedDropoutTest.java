package io.c2cstream.engine.fuser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InvertedDropoutTest {

    @Test
    void keepsOneMinusPOfTheElementsScaledToPreserveTheExpectation() {
        int n = 1_000_001;                                              // odd: the last draw decides one element
        float[] mask = InvertedDropout.mask(n, 0.1, 42);
        int kept = 0;
        double sum = 0;
        for (float m : mask) {
            assertTrue(m == 0f || m == (float) (1 / 0.9), "every element is dropped or scaled by 1/(1 - p): " + m);
            kept += m != 0f ? 1 : 0;
            sum += m;
        }
        // Binomial(n, 0.9): a standard deviation of 300 elements; 5 of them is far outside chance.
        assertEquals(0.9 * n, kept, 1500);
        assertEquals(1.0, sum / n, 2e-3);
        assertTrue(mask[n - 1] == 0f || mask[n - 1] == (float) (1 / 0.9), "the last element of an odd size is drawn");
    }

    @Test
    void theSameSeedGivesTheSameMaskAndAnotherSeedAnother() {
        assertArrayEquals(InvertedDropout.mask(4096, 0.5, 7), InvertedDropout.mask(4096, 0.5, 7));
        assertFalse(Arrays.equals(InvertedDropout.mask(4096, 0.5, 7), InvertedDropout.mask(4096, 0.5, 8)));
    }

    @Test
    void noDropoutKeepsEverythingAndProbabilitiesOutsideTheRangeAreRejected() {
        float[] all = InvertedDropout.mask(1000, 0, 1);
        for (float m : all) {
            assertEquals(1f, m);
        }
        assertThrows(IllegalArgumentException.class, () -> InvertedDropout.mask(10, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> InvertedDropout.mask(10, -0.1, 1));
    }
}
