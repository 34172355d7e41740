package io.c2cstream.engine.train;

/** The learning-rate and gate-temperature schedules of the reference recipe (method §1.4, §5.5). */
public final class Schedules {
    private Schedules() {}

    /**
     * Hugging Face's "linear" schedule: from 0 up to {@code peak} over {@code warmupSteps}, then down to 0 at
     * {@code totalSteps}. The optimizer's k-th update (1-based) uses {@code learningRate(k − 1)}, so the very
     * first update has rate 0, as in the reference.
     */
    public static double learningRate(int step, double peak, int warmupSteps, int totalSteps) {
        if (step < warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        return peak * Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    }

    /**
     * Linear warm-up to {@code peak}, then a cosine decay to 0 at {@code totalSteps} (the usual pretraining
     * schedule).
     */
    public static double cosine(int step, double peak, int warmupSteps, int totalSteps) {
        if (step < warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        return peak * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    /**
     * Gate temperature after {@code step} optimizer steps: {@code T0·(T1/T0)^min(step/A, 1)}; before the
     * first step it is T0.
     */
    public static double temperature(int step, double initial, double last, int annealSteps) {
        double progress = Math.min((double) step / annealSteps, 1.0);
        return initial * Math.pow(last / initial, progress);
    }
}
