package io.c2cstream.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {
    private static final float[] LOGITS = {1.0f, 3.0f, -2.0f, 2.9f, 0.5f, -7f};

    private static SamplingConfig sampling(double temperature, int topK, double topP, long seed) {
        return new SamplingConfig(10, temperature, topK, topP, seed, Set.of());
    }

    @Test
    void greedyTakesTheLargestLogitAndTheLowerIdOnTies() {
        assertEquals(1, new TokenSampler(SamplingConfig.greedy(1, Set.of())).next(LOGITS));
        assertEquals(0, new TokenSampler(SamplingConfig.greedy(1, Set.of())).next(new float[] {2f, 2f}));
    }

    @Test
    void topKOfOneAndATinyTopPAreGreedy() {
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(1, new TokenSampler(sampling(1.0, 1, 1.0, seed)).next(LOGITS));
            assertEquals(1, new TokenSampler(sampling(1.0, 0, 1e-6, seed)).next(LOGITS));
        }
    }

    @Test
    void topKRestrictsTheCandidates() {
        Set<Integer> seen = new HashSet<>();
        TokenSampler sampler = new TokenSampler(sampling(5.0, 2, 1.0, 1));
        for (int i = 0; i < 500; i++) {
            seen.add(sampler.next(LOGITS));
        }
        assertEquals(Set.of(1, 3), seen);
    }

    @Test
    void topPKeepsTheSmallestPrefixReachingP() {
        // At temperature 1 tokens 1 and 3 hold about 0.84 of the mass: p = 0.8 keeps exactly them.
        Set<Integer> seen = new HashSet<>();
        TokenSampler sampler = new TokenSampler(sampling(1.0, 0, 0.8, 3));
        for (int i = 0; i < 500; i++) {
            seen.add(sampler.next(LOGITS));
        }
        assertEquals(Set.of(1, 3), seen);
    }

    @Test
    void aSeedMakesSamplingReproducibleAndDifferentSeedsDiffer() {
        int[] a = draw(42);
        int[] b = draw(42);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(draw(43)));
    }

    @Test
    void highTemperatureVisitsEveryToken() {
        Set<Integer> seen = new HashSet<>();
        TokenSampler sampler = new TokenSampler(sampling(100.0, 0, 1.0, 9));
        for (int i = 0; i < 2000; i++) {
            seen.add(sampler.next(LOGITS));
        }
        assertTrue(seen.size() == LOGITS.length, "seen " + seen);
    }

    @Test
    void invalidSettingsAreRejectedWithTheirName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> sampling(-1, 0, 1, 0)).getMessage().contains("temperature"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> sampling(1, -1, 1, 0)).getMessage().contains("top-k"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> sampling(1, 0, 0, 0)).getMessage().contains("top-p"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SamplingConfig.greedy(0, Set.of())).getMessage().contains("max new tokens"));
    }

    private static int[] draw(long seed) {
        TokenSampler sampler = new TokenSampler(sampling(2.0, 0, 1.0, seed));
        int[] out = new int[30];
        for (int i = 0; i < out.length; i++) {
            out[i] = sampler.next(LOGITS);
        }
        return out;
    }
}
