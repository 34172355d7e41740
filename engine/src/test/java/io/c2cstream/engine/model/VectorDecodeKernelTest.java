package io.c2cstream.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.c2cstream.engine.checkpoint.HfCheckpoint;
import io.c2cstream.engine.checkpoint.TensorDType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Decode steps computed in Java equal the backend's, step after step: long enough that attention spans several
 * SIMD vectors of columns, Gemma's sliding window (4) slides, and the cache grows past its first allocation.
 */
class VectorDecodeKernelTest {
    private static final int STEPS = 75;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ModelFamily.class)
    void javaDecodeStepsEqualTheBackendsOverALongBatchedGeneration(ModelFamily family) {
        TinyModels.write(dir, family, TensorDType.F32, 21);
        List<int[]> prompts = List.of(new int[] {5, 17, 3, 42, 8}, new int[] {9}, new int[] {4, 22, 30});
        try (TransformerModel java = TransformerModel.load(dir, Device.cpu(), DecodePath.JAVA);
             TransformerModel backend = TransformerModel.load(dir, Device.cpu(), DecodePath.BACKEND);
             NDManager m = NDManager.newBaseManager();
             KvCache javaCache = java.newCache(prompts.size(), 8);
             KvCache backendCache = backend.newCache(prompts.size(), 8)) {
            int vocab = java.config().vocabSize();
            float[] expected = backend.forward(TokenBatch.leftPadded(prompts, 0), backendCache,
                    TransformerModel.Logits.LAST, m).toFloatArray();
            java.forward(TokenBatch.leftPadded(prompts, 0), javaCache, TransformerModel.Logits.LAST, m);
            for (int step = 0; step < STEPS; step++) {
                // Both follow the backend's greedy choice, so that they see the same tokens.
                int[][] next = new int[prompts.size()][];
                for (int r = 0; r < prompts.size(); r++) {
                    next[r] = new int[] {argMax(LogitAssertions.row(expected, r, vocab))};
                }
                expected = backend.forward(TokenBatch.continuing(next, backendCache), backendCache,
                        TransformerModel.Logits.LAST, m).toFloatArray();
                float[] actual = java.forward(TokenBatch.continuing(next, javaCache), javaCache,
                        TransformerModel.Logits.LAST, m).toFloatArray();
                LogitAssertions.assertClose(expected, actual, family + " step " + step);
            }
            assertTrue(javaCache.capacity() > KvCache.WIDTH_STEP, "the cache grew past its first allocation");
            // The keys and values the kernel wrote are the backend's, as every later step and reader sees them.
            int columns = backendCache.length();
            for (int l = 0; l < java.config().numLayers(); l++) {
                assertClose(backendCache.readKeys(l, 0, columns, m), javaCache.readKeys(l, 0, columns, m), family + " keys " + l);
                assertClose(backendCache.readValues(l, 0, columns, m), javaCache.readValues(l, 0, columns, m),
                        family + " values " + l);
            }
        }
    }

    /**
     * Not the same bits: until C2 compiles a method, the Vector API computes {@code exp} lane by lane with
     * {@code Math.exp}, afterwards with SVML, and the threads may run different tiers.
     */
    @Test
    void rowsSplitOverThreadsGiveTheSameLogitsAsOneThread() {
        TinyModels.write(dir, ModelFamily.GEMMA3, TensorDType.F32, 4);
        int rows = 9;
        try (HfCheckpoint ckpt = HfCheckpoint.open(dir); NDManager m = NDManager.newBaseManager()) {
            ModelConfig config = ModelConfig.fromJson(ckpt.config());
            ModelWeights weights = ModelWeights.load(ckpt, config, m);
            VectorDecodeKernel alone = new VectorDecodeKernel(config, weights, 1);
            VectorDecodeKernel split = new VectorDecodeKernel(config, weights, 3);   // rows [0, 3), [3, 6), [6, 9)
            try (KvCache first = new KvCache(config, m, rows, 8); KvCache second = new KvCache(config, m, rows, 8)) {
                int[][] ids = new int[rows][1];
                for (int step = 0; step < 12; step++) {
                    for (int r = 0; r < rows; r++) {
                        ids[r][0] = (7 * r + 3 * step) % config.vocabSize();
                    }
                    float[] expected = decode(alone, first, ids);
                    float[] actual = decode(split, second, ids);
                    LogitAssertions.assertClose(expected, actual, "step " + step);
                }
            }
        }
    }

    private static float[] decode(VectorDecodeKernel kernel, KvCache cache, int[][] ids) {
        TokenBatch batch = TokenBatch.continuing(ids, cache);
        return kernel.decode(batch, cache, cache.append(batch.padding(), batch.positions()));
    }

    @Test
    void stepsOverACacheThatTracksGradientsRunOnTheBackendSoThatGradientsReachIt() {
        TinyModels.write(dir, ModelFamily.LLAMA, TensorDType.F32, 6);
        try (TransformerModel model = TransformerModel.load(dir, Device.cpu(), DecodePath.JAVA);
             NDManager m = NDManager.newBaseManager()) {
            NDArray scale = m.create(2f);
            scale.setRequiresGradient(true);
            // What fuser training does: a cache whose entries are overwritten by a function of a trainable array.
            try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                 KvCache cache = model.newCache(1, 4)) {
                cache.trackGradients();
                model.forward(TokenBatch.single(new int[] {3, 14, 15}, cache), cache, TransformerModel.Logits.LAST, m);
                cache.overwrite(0, 0, cache.readKeys(0, 0, 3, m), cache.readValues(0, 0, 3, m).mul(scale));
                NDArray logits = model.forward(TokenBatch.single(new int[] {9}, cache), cache,
                        TransformerModel.Logits.LAST, m);
                collector.backward(logits.sum());
            }
            assertTrue(scale.getGradient().abs().getFloat() > 0, "the loss reaches the overwritten entries");
        }
    }

    @Test
    void smallModelsOnTheCpuDecodeInJavaByDefault() {
        TinyModels.write(dir, ModelFamily.QWEN3, TensorDType.F32, 1);
        try (TransformerModel model = TransformerModel.load(dir)) {
            assertEquals(DecodePath.JAVA, model.decodePath(), "surefire starts the JVM with jdk.incubator.vector");
        }
        try (TransformerModel model = TransformerModel.load(dir, Device.cpu(), DecodePath.BACKEND)) {
            assertEquals(DecodePath.BACKEND, model.decodePath());
        }
    }

    private static void assertClose(NDArray expected, NDArray actual, String what) {
        LogitAssertions.assertClose(expected.toFloatArray(), actual.toFloatArray(), what);
    }

    private static int argMax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
