package io.c2cstream.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.checkpoint.TensorDType;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.ModelFamily;
import io.c2cstream.engine.model.ModelParameters;
import io.c2cstream.engine.model.TinyModels;
import io.c2cstream.engine.model.TokenBatch;
import io.c2cstream.engine.model.TransformerModel;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Pretraining through the inference forward pass; the result saves as an ordinary checkpoint. */
class LanguageModelTrainerTest {
    @TempDir
    Path dir;

    /** Counting sequences modulo the vocabulary: learnable in a few dozen steps. */
    private static int[][] counting(int rows, int length, int offset) {
        int[][] out = new int[rows][length];
        for (int b = 0; b < rows; b++) {
            for (int t = 0; t < length; t++) {
                out[b][t] = (3 * b + offset + t) % TinyModels.VOCAB;
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = ModelFamily.class, names = {"LLAMA", "QWEN3", "GEMMA3"})
    void lossFallsAndTheSavedCheckpointComputesTheSameLogits(ModelFamily family) {
        try (ModelParameters parameters = ModelParameters.initialize(TinyModels.config(family), Device.cpu(), 0.1, 7);
             LanguageModelTrainer trainer = new LanguageModelTrainer(parameters, 0.95, 0.01)) {
            int[][] data = counting(8, 13, 0);
            double before = trainer.evaluate(data);
            for (int step = 0; step < 40; step++) {
                trainer.accumulate(data, 1);
                trainer.step(1e-2, 1.0);
            }
            double after = trainer.evaluate(data);
            assertTrue(after < 0.5 * before, family + ": loss " + before + " -> " + after);
            // Rebuilding the fused weights and stepping the optimizer borrow the parameters; they stay alive.
            for (var p : parameters.trainable()) {
                org.junit.jupiter.api.Assertions.assertFalse(p.isReleased(), family + ": a parameter was freed");
            }

            parameters.save(dir, TensorDType.F32);
            int[] probe = {1, 2, 3, 4, 5};
            try (TransformerModel loaded = TransformerModel.load(dir); NDManager m = NDManager.newBaseManager();
                 KvCache a = loaded.newCache(1, 5); KvCache b = trainer.model().newCache(1, 5)) {
                float[] fromDisk = loaded.forward(TokenBatch.single(probe, a), a, TransformerModel.Logits.ALL, m).toFloatArray();
                float[] inMemory = trainer.model().forward(TokenBatch.single(probe, b), b, TransformerModel.Logits.ALL, m)
                        .toFloatArray();
                org.junit.jupiter.api.Assertions.assertArrayEquals(inMemory, fromDisk, 1e-4f);
            }
        }
    }

    /**
     * The gradients the trainer collects are the derivatives of its loss: central differences of the loss agree
     * with them for the largest-gradient weights of the attention projections, the q/k norms and an MLP of a
     * deeper layer (whose keys and values reach the loss through the cache's in-place writes and views).
     */
    @Test
    void gradientsAreTheDerivativesOfTheLoss() {
        try (ModelParameters parameters = ModelParameters.initialize(TinyModels.config(ModelFamily.QWEN3), Device.cpu(),
                0.1, 7);
             LanguageModelTrainer trainer = new LanguageModelTrainer(parameters, 0.95, 0.01)) {
            java.util.Random random = new java.util.Random(1);
            int[][] data = new int[4][17];
            for (int[] row : data) {
                for (int t = 0; t < row.length; t++) {
                    row[t] = random.nextInt(TinyModels.VOCAB);
                }
            }
            trainer.accumulate(data, 1);
            for (String name : List.of("model.layers.1.self_attn.q_proj.weight", "model.layers.1.self_attn.k_proj.weight",
                    "model.layers.2.self_attn.v_proj.weight", "model.layers.2.self_attn.k_norm.weight",
                    "model.layers.1.mlp.up_proj.weight")) {
                NDArray weight = parameters.tensors().get(name);
                float[] gradient = weight.getGradient().toFloatArray();
                float[] values = weight.toFloatArray();
                int largest = 0;
                for (int i = 1; i < gradient.length; i++) {
                    largest = Math.abs(gradient[i]) > Math.abs(gradient[largest]) ? i : largest;
                }
                double eps = 1e-2;
                double[] losses = new double[2];
                for (int side = 0; side < 2; side++) {
                    float[] moved = values.clone();
                    moved[largest] += side == 0 ? eps : -eps;
                    weight.set(FloatBuffer.wrap(moved));
                    losses[side] = trainer.evaluate(data);
                }
                weight.set(FloatBuffer.wrap(values));
                double numeric = (losses[0] - losses[1]) / (2 * eps);
                assertEquals(gradient[largest], numeric, 0.02 * Math.abs(gradient[largest]), name + "[" + largest + "]");
            }
        }
    }
}
