package io.c2cstream.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.c2cstream.schemas.kv.KvSlice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sharer's cache reassembled at the receiver from token blocks, whatever order they arrive in. */
class SegmentedKvTest {
    private static final int HEADS = 2;
    private static final int DIM = 3;
    private static final int LAYERS = 3;
    private static final int TOKENS = 11;

    /** The sharer's whole cache: {@code [layer][keys 0 / values 1][head][token][dim]}. */
    private final float[][][][][] source = new float[LAYERS][2][HEADS][TOKENS][DIM];
    private final NDManager manager = NDManager.newBaseManager(Device.cpu());

    SegmentedKvTest() {
        Random random = new Random(3);
        for (float[][][][] layer : source) {
            for (float[][][] tensor : layer) {
                for (float[][] head : tensor) {
                    for (float[] token : head) {
                        for (int d = 0; d < DIM; d++) {
                            token[d] = random.nextFloat();
                        }
                    }
                }
            }
        }
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void blocksInAnyOrderReadBackExactlyOverAnyCoveredRange() {
        // Layers 0-1 in blocks [0,4) [4,7) [7,11); layer 2 alone in [0,5) [5,11); shuffled.
        List<KvSlice> slices = new ArrayList<>(List.of(slice(0, 2, 0, 4), slice(0, 2, 4, 7), slice(0, 2, 7, 11),
                slice(2, 1, 0, 5), slice(2, 1, 5, 11)));
        Collections.shuffle(slices, new Random(5));
        SegmentedKv kv = new SegmentedKv(HEADS, DIM);
        slices.forEach(kv::add);
        assertEquals(2L * LAYERS * HEADS * TOKENS * DIM * Float.BYTES, kv.bytes());
        for (int layer = 0; layer < LAYERS; layer++) {
            for (int from = 0; from < TOKENS; from++) {
                for (int to = from + 1; to <= TOKENS; to++) {
                    assertTrue(kv.covers(layer, from, to));
                    String where = "layer " + layer + " [" + from + ", " + to + ")";
                    assertRead(kv.readKeys(layer, from, to, manager), layer, 0, from, to, where);
                    assertRead(kv.readValues(layer, from, to, manager), layer, 1, from, to, where);
                }
            }
        }
    }

    @Test
    void aGapIsNotCoveredAndCannotBeRead() {
        SegmentedKv kv = new SegmentedKv(HEADS, DIM);
        kv.add(slice(0, 1, 0, 4));
        kv.add(slice(0, 1, 6, 11));
        assertTrue(kv.covers(0, 0, 4));
        assertTrue(kv.covers(0, 6, 11));
        assertFalse(kv.covers(0, 0, 11));
        assertFalse(kv.covers(0, 3, 7));
        assertFalse(kv.covers(1, 0, 1), "a layer nothing arrived for");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kv.readKeys(0, 2, 8, manager));
        assertTrue(e.getMessage().contains("[2, 8)"), e.getMessage());
        kv.add(slice(0, 1, 4, 6));
        assertTrue(kv.covers(0, 0, 11));
    }

    @Test
    void aBlockOfAnotherHeadGeometryIsRejected() {
        SegmentedKv kv = new SegmentedKv(HEADS, DIM + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kv.add(slice(0, 1, 0, 4)));
        assertTrue(e.getMessage().contains("2×3") && e.getMessage().contains("2×4"), e.getMessage());
        assertEquals(0, kv.bytes());
    }

    private void assertRead(NDArray read, int layer, int kind, int from, int to, String where) {
        assertEquals(new Shape(1, HEADS, to - from, DIM), read.getShape(), where);
        float[] expected = new float[HEADS * (to - from) * DIM];
        int i = 0;
        for (int h = 0; h < HEADS; h++) {
            for (int t = from; t < to; t++) {
                for (int d = 0; d < DIM; d++) {
                    expected[i++] = source[layer][kind][h][t][d];
                }
            }
        }
        assertArrayEquals(expected, read.toFloatArray(), where);
        read.close();
    }

    /** Layers {@code [layer, layer + count)} over tokens {@code [from, to)}, copied from the source. */
    private KvSlice slice(int layer, int count, int from, int to) {
        KvSlice slice = KvSlice.allocate(layer, count, from, to - from, HEADS, DIM);
        for (int l = 0; l < count; l++) {
            for (int kind = 0; kind < 2; kind++) {
                var buffer = kind == 0 ? slice.keyFloats(l) : slice.valueFloats(l);
                int at = 0;
                for (int h = 0; h < HEADS; h++) {
                    for (int t = from; t < to; t++) {
                        for (int d = 0; d < DIM; d++) {
                            buffer.put(at++, source[layer + l][kind][h][t][d]);
                        }
                    }
                }
            }
        }
        return slice;
    }
}
