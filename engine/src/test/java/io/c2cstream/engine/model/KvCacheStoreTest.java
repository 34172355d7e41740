package io.c2cstream.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.checkpoint.TensorDType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache's storage as Java sees it: whole column steps, and bytes shared with what the backend reads. */
class KvCacheStoreTest {
    @TempDir
    Path dir;

    @Test
    void capacityIsAWholeNumberOfColumnSteps() {
        TinyModels.write(dir, ModelFamily.LLAMA, TensorDType.F32, 2);
        try (TransformerModel model = TransformerModel.load(dir); KvCache cache = model.newCache(2, 10)) {
            assertEquals(KvCache.WIDTH_STEP, cache.capacity());
            cache.ensureCapacity(KvCache.WIDTH_STEP + 1);
            assertEquals(2 * KvCache.WIDTH_STEP, cache.capacity());
            cache.ensureCapacity(5 * KvCache.WIDTH_STEP - 3);
            assertEquals(5 * KvCache.WIDTH_STEP, cache.capacity());
        }
    }

    @Test
    void storesBeyondTwoGibibytesAreLeftToTheBackend() {
        assertEquals(64L * 8 * 128 * 4096 * 4, KvCache.storeBytes(64, 8, 128, 4096));
        assertTrue(KvCache.storeBytes(64, 8, 128, 8192) > Integer.MAX_VALUE, "2^32 bytes: no byte buffer holds it");
        TinyModels.write(dir, ModelFamily.LLAMA, TensorDType.F32, 2);
        try (TransformerModel model = TransformerModel.load(dir); KvCache cache = model.newCache(2, 10)) {
            assertTrue(cache.storesFitByteBuffers());
        }
    }

    @Test
    void writesThroughTheStoresAreWhatTheCacheReads() {
        TinyModels.write(dir, ModelFamily.QWEN2, TensorDType.F32, 3);
        try (TransformerModel model = TransformerModel.load(dir); NDManager m = NDManager.newBaseManager();
             KvCache cache = model.newCache(2, 4)) {
            ModelConfig c = model.config();
            model.forward(TokenBatch.continuing(new int[][] {{3, 1, 4}, {2, 7, 1}}, cache), cache, TransformerModel.Logits.LAST, m);
            int d = c.headDim();
            // Stores are [batch, kvHeads, headDim, capacity]: row 1, KV head 1, dimension j, column 2.
            ByteBuffer keys = cache.keyStore(0);
            ByteBuffer values = cache.valueStore(0);
            for (int j = 0; j < d; j++) {
                int at = Float.BYTES * (((c.numKvHeads() + 1) * d + j) * cache.capacity() + 2);
                keys.putFloat(at, 100f + j);
                values.putFloat(at, -100f - j);
            }
            float[] readKeys = cache.readKeys(0, 2, 3, m).toFloatArray();      // [2, kvHeads, 1, headDim]
            float[] readValues = cache.readValues(0, 2, 3, m).toFloatArray();
            float[] expectedKeys = new float[d];
            float[] expectedValues = new float[d];
            for (int j = 0; j < d; j++) {
                expectedKeys[j] = 100f + j;
                expectedValues[j] = -100f - j;
            }
            int rowOneHeadOne = (c.numKvHeads() + 1) * d;
            assertArrayEquals(expectedKeys, Arrays.copyOfRange(readKeys, rowOneHeadOne, rowOneHeadOne + d));
            assertArrayEquals(expectedValues, Arrays.copyOfRange(readValues, rowOneHeadOne, rowOneHeadOne + d));
        }
    }
}
