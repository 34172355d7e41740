package io.c2cstream.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.ModelParameters;
import io.c2cstream.engine.model.NativeArrays;
import io.c2cstream.engine.model.TokenBatch;
import io.c2cstream.engine.model.TransformerModel;
import java.util.Arrays;
import java.util.List;

/**
 * Pretrains every weight of a model on fixed-length token sequences with next-token cross-entropy: the same
 * forward pass as inference (the fused arrangement is re-derived from the Hugging Face tensors inside the
 * gradient collector), AdamW with decoupled decay, global-norm clipping and gradient accumulation.
 */
public final class LanguageModelTrainer implements AutoCloseable {
    private final ModelParameters parameters;
    private final TransformerModel model;
    private final List<NDArray> trainable;
    private final AdamW optimizer;

    public LanguageModelTrainer(ModelParameters parameters, double beta2, double weightDecay) {
        this.parameters = parameters;
        this.trainable = parameters.trainable();
        Gradients.require(trainable);
        this.model = TransformerModel.trainable(parameters);
        this.optimizer = new AdamW(trainable, 0.9, beta2, 1e-8, weightDecay);
    }

    /** The model as last rebuilt: call {@link #evaluate} or rebuild before using it after a step. */
    public TransformerModel model() {
        return model;
    }

    /**
     * Forward and backward over sequences {@code [batch][tokens + 1]} (each predicts its next tokens; slots of
     * {@link TokenPacker#PADDING} are never targets), with gradients scaled by {@code 1/accumulation}; returns
     * the mean loss per predicted token.
     */
    public double accumulate(int[][] sequences, int accumulation) {
        try (NDManager scope = NDManager.newBaseManager(model.device());
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            model.rebuildWeights();
            NDArray loss = loss(sequences, scope);
            collector.backward(NativeArrays.div(loss, accumulation));
            return loss.getFloat();
        }
    }

    /**
     * Clips, updates and zeroes the gradients; returns the gradient norm before clipping. A non-finite norm
     * (an overflow somewhere in the step) skips the update instead of writing NaN into every parameter.
     */
    public double step(double learningRate, double maxGradNorm) {
        double norm = Gradients.clipGlobalNorm(trainable, maxGradNorm);
        if (Double.isFinite(norm)) {
            optimizer.step(learningRate);
        }
        Gradients.zero(trainable);
        return norm;
    }

    /** Mean loss per predicted token without gradients, on the current parameters. */
    public double evaluate(int[][] sequences) {
        model.rebuildWeights();
        try (NDManager scope = NDManager.newBaseManager(model.device())) {
            return loss(sequences, scope).getFloat();
        }
    }

    private NDArray loss(int[][] sequences, NDManager scope) {
        int rows = sequences.length;
        int tokens = sequences[0].length - 1;
        int[][] inputs = new int[rows][];
        int[][] targets = new int[rows][];
        for (int b = 0; b < rows; b++) {
            // Padding trails the real tokens, so its inputs are never attended to by them: any valid id will do.
            inputs[b] = Arrays.stream(sequences[b], 0, tokens).map(t -> t == TokenPacker.PADDING ? 0 : t).toArray();
            targets[b] = Arrays.copyOfRange(sequences[b], 1, tokens + 1);
        }
        try (KvCache cache = model.newCache(rows, tokens)) {
            NDArray logits = model.forward(TokenBatch.continuing(inputs, cache), cache, TransformerModel.Logits.ALL, scope);
            return CrossEntropy.mean(logits, targets, scope);
        }
    }

    @Override
    public void close() {
        model.close();
        optimizer.close();
        trainable.forEach(p -> p.setRequiresGradient(false));
    }
}
