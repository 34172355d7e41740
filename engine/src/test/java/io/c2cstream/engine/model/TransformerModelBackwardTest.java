package io.c2cstream.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Trainers run the backward pass after the forward pass has returned and freed its arrays: what autograd saved
 * for the backward pass must stay valid however the garbage collector runs in between.
 */
class TransformerModelBackwardTest {
    private static final int[][] TOKENS = {{5, 17, 3, 42, 8, 8}, {29, 60, 1, 33, 12, 9}};

    @ParameterizedTest
    @EnumSource(ModelFamily.class)
    void gradientsAreTheSameWhenTheGarbageCollectorRunsBetweenForwardAndBackward(ModelFamily family) {
        try (ModelParameters parameters = ModelParameters.initialize(TinyModels.config(family), Device.cpu(), 0.1, 3);
             TransformerModel model = TransformerModel.trainable(parameters)) {
            List<NDArray> trainable = parameters.trainable();
            trainable.forEach(p -> p.setRequiresGradient(true));
            float[][] undisturbed = gradients(model, trainable, () -> { });
            float[][] afterGc = gradients(model, trainable, FreedNativeMemory::collectAndOverwrite);
            assertArrayEquals(undisturbed, afterGc, family.toString());
        }
    }

    /** Each parameter's gradient from one backward pass; {@code between} runs after the forward pass. */
    private static float[][] gradients(TransformerModel model, List<NDArray> trainable, Runnable between) {
        for (NDArray p : trainable) {
            try (NDArray g = p.getGradient()) {
                g.set(new NDIndex("..."), 0f);
            }
        }
        try (NDManager scope = NDManager.newBaseManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector();
             KvCache cache = model.newCache(TOKENS.length, TOKENS[0].length)) {
            model.rebuildWeights();
            NDArray logits = model.forward(TokenBatch.continuing(TOKENS, cache), cache, TransformerModel.Logits.ALL,
                    scope);
            between.run();
            collector.backward(logits.square().mean());
        }
        float[][] gradients = new float[trainable.size()][];
        for (int i = 0; i < gradients.length; i++) {
            try (NDArray g = trainable.get(i).getGradient()) {
                gradients[i] = g.toFloatArray();
            }
        }
        return gradients;
    }
}
