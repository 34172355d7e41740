package io.c2cstream.engine.train;

import io.c2cstream.engine.model.ModelParameters;
import io.c2cstream.engine.model.TransformerModel;
import java.util.Arrays;
import java.util.Random;

/**
 * A pretraining run over packed sequences: random batches, warm-up and cosine decay, AdamW with decoupled
 * weight decay and gradient clipping; reports each step to a listener.
 *
 * @param steps       optimizer steps
 * @param batchSize   sequences per step
 * @param peakLearningRate after warm-up
 * @param warmupSteps steps of linear warm-up
 * @param beta2       AdamW's second-moment decay (0.95 is usual for small language models)
 * @param weightDecay decoupled weight decay
 * @param seed        seeds the batch order
 * @param evaluateEvery steps between two {@link Listener#onEvaluate} calls, which also follows the last step
 *                    (0: never)
 */
public record Pretraining(int steps, int batchSize, double peakLearningRate, int warmupSteps, double beta2,
                          double weightDecay, long seed, int evaluateEvery) {

    /** Receives every step; a non-finite {@code gradNorm} means the update was skipped. */
    public interface Listener {
        void onStep(int step, int totalSteps, double loss, double learningRate, double gradNorm, int tokens, double seconds);

        /**
         * The model as trained so far, its weights rebuilt; valid only during the call. Returns whether to go on
         * training: false ends the run after this step, for a stage that lasts until the model has learnt a skill.
         */
        default boolean onEvaluate(int step, TransformerModel model) {
            return true;
        }
    }

    public Pretraining {
        if (steps < 1 || batchSize < 1 || !(peakLearningRate > 0) || evaluateEvery < 0) {
            throw new IllegalArgumentException("pretraining needs steps >= 1, batch size >= 1, a positive learning rate"
                    + " and evaluateEvery >= 0");
        }
    }

    /**
     * Trains {@code parameters} in place on {@code sequences} {@code [n][length + 1]} for {@code steps} steps, or
     * until an evaluation says to stop; returns the last loss.
     */
    public double run(ModelParameters parameters, int[][] sequences, Listener listener) {
        Random random = new Random(seed);
        double loss = Double.NaN;
        try (LanguageModelTrainer trainer = new LanguageModelTrainer(parameters, beta2, weightDecay)) {
            for (int step = 0; step < steps; step++) {
                long start = System.nanoTime();
                int[][] batch = new int[batchSize][];
                for (int b = 0; b < batchSize; b++) {
                    batch[b] = sequences[random.nextInt(sequences.length)];
                }
                double lr = Schedules.cosine(step, peakLearningRate, warmupSteps, steps);
                loss = trainer.accumulate(batch, 1);
                double norm = trainer.step(lr, 1.0);
                int tokens = (int) Arrays.stream(batch).flatMapToInt(Arrays::stream).filter(t -> t != TokenPacker.PADDING).count();
                listener.onStep(step + 1, steps, loss, lr, norm, tokens, (System.nanoTime() - start) / 1e9);
                if (evaluateEvery > 0 && ((step + 1) % evaluateEvery == 0 || step + 1 == steps)) {
                    trainer.model().rebuildWeights();
                    if (!listener.onEvaluate(step + 1, trainer.model())) {
                        break;
                    }
                }
            }
        }
        return loss;
    }
}
