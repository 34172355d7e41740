package io.c2cstream.engine.fuser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The layer maps of method §2.1, §2.2 and §10.5. */
class LayerMapTest {

    /** Receiver 28 layers (Qwen3-0.6B) against the sharers of §2.1. */
    @Test
    void lastAlignedQwen3ReceiverMapsOfSection2_1() {
        // ← Qwen2.5-0.5B (24): layers 0–4 read sharer layer 0, then 5 → 1 … 27 → 23.
        assertArrayEquals(concat(repeat(0, 5), range(1, 24)), new LastAlignedLayerMap(28, 24).firstSharerLayers());
        // ← Llama-3.2-1B (16): 0–12 → 0, then 13 → 1 … 27 → 15.
        assertArrayEquals(concat(repeat(0, 13), range(1, 16)), new LastAlignedLayerMap(28, 16).firstSharerLayers());
        // ← Qwen3-4B (36): t → t + 8.
        assertArrayEquals(range(8, 36), new LastAlignedLayerMap(28, 36).firstSharerLayers());
        // ← Gemma-3-1B (26): [0, 0, 0, 1, …, 25].
        assertArrayEquals(concat(repeat(0, 3), range(1, 26)), new LastAlignedLayerMap(28, 26).firstSharerLayers());
        // ← 28-layer sharers: identity.
        assertArrayEquals(range(0, 28), new LastAlignedLayerMap(28, 28).firstSharerLayers());
    }

    @Test
    void lastAlignedQwen3_8bFromQwen2_5_7b() {
        // 36 ← 28: layers 0–8 → 0, then 9 → 1 … 35 → 27.
        assertArrayEquals(concat(repeat(0, 9), range(1, 28)), new LastAlignedLayerMap(36, 28).firstSharerLayers());
    }

    @Test
    void everyReceiverLayerHasItsOwnProjector() {
        LayerMap map = new LastAlignedLayerMap(28, 24);
        for (int t = 0; t < 28; t++) {
            assertEquals(t, map.sources(t).get(0).projectorIndex());
        }
    }

    @Test
    void lastAlignedWithTwoSourcesOfSection10_5() {
        // last_aligned(T=11, S=33, K=2) → {0: [22, 21], 1: [23, 22], …, 10: [32, 31]}
        LayerMap deep = new LastAlignedLayerMap(11, 33, 2);
        for (int t = 0; t < 11; t++) {
            assertEquals(List.of(new LayerSource(22 + t, t), new LayerSource(21 + t, t)), deep.sources(t));
        }
        // last_aligned(4, 2, 2) → {0: [0, 1], 1: [0, 1], 2: [0, 1], 3: [1, 0]}
        LayerMap shallow = new LastAlignedLayerMap(4, 2, 2);
        assertEquals(List.of(0, 1), sharerLayers(shallow, 0));
        assertEquals(List.of(0, 1), sharerLayers(shallow, 1));
        assertEquals(List.of(0, 1), sharerLayers(shallow, 2));
        assertEquals(List.of(1, 0), sharerLayers(shallow, 3));
    }

    @Test
    void kNearestOfSection2_2() {
        assertArrayEquals(
                new int[] {0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9, 9, 10, 11, 12, 13, 14, 14, 15, 16, 17, 18, 19, 20, 20, 21,
                    22, 23},
                new KNearestLayerMap(28, 24).firstSharerLayers());
    }

    @Test
    void kNearestBreaksTiesTowardsTheLowerLayer() {
        // Receiver layer 1 of 3 sits at 0.5, exactly between sharer layers 0 and 1 of 2.
        assertEquals(List.of(0, 1), sharerLayers(new KNearestLayerMap(3, 2, 2), 1));
        assertArrayEquals(new int[] {0, 0, 1}, new KNearestLayerMap(3, 2).firstSharerLayers());
    }

    @Test
    void namedMapsAsRecipesSpellThem() {
        assertInstanceOf(LastAlignedLayerMap.class, LayerMap.named("last_aligned", 28, 24, 1));
        assertInstanceOf(KNearestLayerMap.class, LayerMap.named("k_nearest", 28, 24, 1));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LayerMap.named("nearest", 28, 24, 1));
        assertTrue(e.getMessage().contains("last_aligned"), e.getMessage());
    }

    @Test
    void rejectsImpossibleShapes() {
        assertThrows(IllegalArgumentException.class, () -> new LastAlignedLayerMap(0, 24));
        assertThrows(IllegalArgumentException.class, () -> new KNearestLayerMap(28, 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> new LastAlignedLayerMap(28, 24).sources(28));
    }

    private static List<Integer> sharerLayers(LayerMap map, int receiverLayer) {
        return map.sources(receiverLayer).stream().map(LayerSource::sharerLayer).toList();
    }

    private static int[] repeat(int value, int count) {
        return IntStream.generate(() -> value).limit(count).toArray();
    }

    private static int[] range(int from, int to) {
        return IntStream.range(from, to).toArray();
    }

    private static int[] concat(int[] head, int[] tail) {
        return IntStream.concat(IntStream.of(head), IntStream.of(tail)).toArray();
    }
}
