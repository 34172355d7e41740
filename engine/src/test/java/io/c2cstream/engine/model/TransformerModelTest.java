package io.c2cstream.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.checkpoint.TensorDType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cache and batching equalities every family must satisfy (f32, relative error ≤ 1e-4), with decode steps on
 * the backend and in Java.
 */
class TransformerModelTest {
    private static final int[] PROMPT = {5, 17, 3, 42, 8, 8, 29, 60, 1, 33, 12};

    @TempDir
    Path dir;

    /** Every family with each place decode steps can run. */
    static Stream<Arguments> familiesAndDecodePaths() {
        return Arrays.stream(ModelFamily.values())
                .flatMap(f -> Stream.of(Arguments.of(f, DecodePath.BACKEND), Arguments.of(f, DecodePath.JAVA)));
    }

    @ParameterizedTest
    @MethodSource("familiesAndDecodePaths")
    void chunkedPrefillAndDecodeMatchOneFullForward(ModelFamily family, DecodePath decodePath) {
        TinyModels.write(dir, family, TensorDType.F32, 7);
        try (TransformerModel model = TransformerModel.load(dir, Device.cpu(), decodePath);
             NDManager m = NDManager.newBaseManager()) {
            assertEquals(decodePath, model.decodePath());
            float[] full = logits(model, m, PROMPT);

            // The same tokens as a 6-token prefill, a 4-token chunk on top of it, then a one-token decode.
            try (KvCache cache = model.newCache(1, 4)) {
                NDArray first = model.forward(TokenBatch.single(Arrays.copyOfRange(PROMPT, 0, 6), cache), cache,
                        TransformerModel.Logits.ALL, m);
                NDArray chunk = model.forward(TokenBatch.single(Arrays.copyOfRange(PROMPT, 6, 10), cache), cache,
                        TransformerModel.Logits.ALL, m);
                NDArray step = model.forward(TokenBatch.single(new int[] {PROMPT[10]}, cache), cache,
                        TransformerModel.Logits.LAST, m);
                float[] pieces = concat(first.toFloatArray(), chunk.toFloatArray(), step.toFloatArray());
                LogitAssertions.assertClose(full, pieces, family + " chunked, decoding on " + decodePath);
                assertEquals(PROMPT.length, cache.length());
                assertEquals(PROMPT.length, cache.nextPosition(0));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("familiesAndDecodePaths")
    void batchOfDifferentLengthsEqualsEachSequenceAlone(ModelFamily family, DecodePath decodePath) {
        TinyModels.write(dir, family, TensorDType.F32, 11);
        List<int[]> prompts = List.of(PROMPT, new int[] {9, 4, 22}, Arrays.copyOfRange(PROMPT, 2, 9));
        int[][] nextTokens = {{7, 19, 2}, {50, 3, 3}};
        try (TransformerModel model = TransformerModel.load(dir, Device.cpu(), decodePath);
             NDManager m = NDManager.newBaseManager()) {
            assertEquals(decodePath, model.decodePath());
            try (KvCache batchCache = model.newCache(prompts.size(), 8)) {
                float[] prefill = model.forward(TokenBatch.leftPadded(prompts, 0), batchCache,
                        TransformerModel.Logits.LAST, m).toFloatArray();
                float[][] decode = new float[nextTokens.length][];
                for (int s = 0; s < nextTokens.length; s++) {
                    int[][] ids = new int[prompts.size()][];
                    for (int r = 0; r < prompts.size(); r++) {
                        ids[r] = new int[] {nextTokens[s][r]};
                    }
                    decode[s] = model.forward(TokenBatch.continuing(ids, batchCache), batchCache,
                            TransformerModel.Logits.LAST, m).toFloatArray();
                }
                int vocab = model.config().vocabSize();
                for (int r = 0; r < prompts.size(); r++) {
                    try (KvCache alone = model.newCache(1, 8)) {
                        float[] p = model.forward(TokenBatch.single(prompts.get(r), alone), alone,
                                TransformerModel.Logits.LAST, m).toFloatArray();
                        LogitAssertions.assertClose(p, LogitAssertions.row(prefill, r, vocab), family + " prefill row " + r);
                        for (int s = 0; s < nextTokens.length; s++) {
                            float[] d = model.forward(TokenBatch.single(new int[] {nextTokens[s][r]}, alone), alone,
                                    TransformerModel.Logits.LAST, m).toFloatArray();
                            LogitAssertions.assertClose(d, LogitAssertions.row(decode[s], r, vocab), family + " decode " + s + " row " + r);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ModelFamily.class)
    void bf16CheckpointsLoadWidenedToF32(ModelFamily family) {
        TinyModels.write(dir, family, TensorDType.BF16, 3);
        try (TransformerModel model = TransformerModel.load(dir); NDManager m = NDManager.newBaseManager()) {
            float[] logits = logits(model, m, PROMPT);
            assertEquals(PROMPT.length * TinyModels.VOCAB, logits.length);
            for (float v : logits) {
                assertTrue(Float.isFinite(v), "finite logits");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ModelFamily.class)
    void cacheSlicesCanBeReadAndOverwritten(ModelFamily family) {
        TinyModels.write(dir, family, TensorDType.F32, 5);
        try (TransformerModel model = TransformerModel.load(dir); NDManager m = NDManager.newBaseManager();
             KvCache cache = model.newCache(1, 16)) {
            model.forward(TokenBatch.single(PROMPT, cache), cache, TransformerModel.Logits.LAST, m);
            NDArray keys = cache.readKeys(1, 2, 5, m);
            NDArray values = cache.readValues(1, 2, 5, m);
            ModelConfig c = model.config();
            assertArrayEquals(new long[] {1, c.numKvHeads(), 3, c.headDim()}, keys.getShape().getShape());
            cache.overwrite(1, 2, keys.mul(2), values.add(1));
            assertArrayEquals(keys.mul(2).toFloatArray(), cache.readKeys(1, 2, 5, m).toFloatArray());
            assertArrayEquals(values.add(1).toFloatArray(), cache.readValues(1, 2, 5, m).toFloatArray());
            // Untouched columns stay as they were.
            NDArray before = cache.readKeys(1, 0, 2, m);
            assertEquals(0f, before.sub(cache.readKeys(1, 0, 2, m)).abs().max().getFloat());
        }
    }

    @ParameterizedTest
    @EnumSource(ModelFamily.class)
    void blocksCopiedFromCachesAndAppendedToAnotherActLikeTheForwardThatWroteThem(ModelFamily family) {
        TinyModels.write(dir, family, TensorDType.F32, 13);
        int[] a = Arrays.copyOfRange(PROMPT, 0, 6);
        int[] b = {9, 4, 22};
        // What comes next in each row, at its own positions: the first column attends to the appended block.
        TokenBatch next = new TokenBatch(new int[][] {{7, 19}, {50, 3}}, new int[][] {{6, 7}, {3, 4}},
                new boolean[2][2]);
        try (TransformerModel model = TransformerModel.load(dir); NDManager m = NDManager.newBaseManager()) {
            float[] expected;
            try (KvCache written = model.newCache(2, 8)) {
                TokenBatch rightPadded = new TokenBatch(new int[][] {a, {9, 4, 22, 0, 0, 0}},
                        new int[][] {{0, 1, 2, 3, 4, 5}, {0, 1, 2, 0, 0, 0}},
                        new boolean[][] {new boolean[6], {false, false, false, true, true, true}});
                model.forward(rightPadded, written, TransformerModel.Logits.LAST, m);
                expected = model.forward(next, written, TransformerModel.Logits.ALL, m).toFloatArray();
            }
            try (KvCache aloneA = model.newCache(1, 6); KvCache aloneB = model.newCache(1, 3);
                 KvCache appended = model.newCache(2, 2)) {
                model.forward(TokenBatch.single(a, aloneA), aloneA, TransformerModel.Logits.LAST, m);
                model.forward(TokenBatch.single(b, aloneB), aloneB, TransformerModel.Logits.LAST, m);
                appended.appendBlocks(List.of(aloneA.copyBlock(0, 0, 6, m), aloneB.copyBlock(0, 0, 3, m)));
                assertEquals(6, appended.length());
                assertEquals(3, appended.nextPosition(1));
                assertTrue(appended.isAttendable(1, 2) && !appended.isAttendable(1, 3), "the narrower block is right-padded");
                float[] actual = model.forward(next, appended, TransformerModel.Logits.ALL, m).toFloatArray();
                LogitAssertions.assertClose(expected, actual, family + " after appended blocks");
            }
        }
    }

    private static float[] logits(TransformerModel model, NDManager m, int[] ids) {
        try (KvCache cache = model.newCache(1, ids.length)) {
            return model.forward(TokenBatch.single(ids, cache), cache, TransformerModel.Logits.ALL, m).toFloatArray();
        }
    }

    private static float[] concat(float[]... parts) {
        float[] out = new float[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
