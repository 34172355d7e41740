package io.c2cstream.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;

/** Operations on the gradients that PyTorch accumulates in parameters across backward passes. */
final class Gradients {
    private static final NDIndex ALL = new NDIndex("...");

    private Gradients() {}

    /** Scales all gradients so that their global L2 norm is at most {@code maxNorm}; returns the norm before. */
    static double clipGlobalNorm(List<NDArray> parameters, double maxNorm) {
        double sumSquares = 0;
        for (NDArray p : parameters) {
            try (NDManager scope = p.getManager().newSubManager()) {
                NDArray g = p.getGradient();
                g.attach(scope);
                sumSquares += g.square().sum().getFloat();
            }
        }
        double norm = Math.sqrt(sumSquares);
        // PyTorch's clip_grad_norm_: coefficient max/(norm + 1e-6), applied only when below 1.
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1 && Double.isFinite(norm)) {
            for (NDArray p : parameters) {
                try (NDArray g = p.getGradient()) {
                    g.muli((float) coefficient);
                }
            }
        }
        return norm;
    }

    /**
     * Sets every gradient to zero, ready for the next accumulation. This is a fill, not a multiplication: after
     * an update skipped for a non-finite norm the gradients hold NaN or infinities, and 0 × NaN is NaN.
     */
    static void zero(List<NDArray> parameters) {
        for (NDArray p : parameters) {
            try (NDArray g = p.getGradient()) {
                g.set(ALL, 0f);
            }
        }
    }

    /** Makes parameters trainable with gradients that start at zero, whatever an earlier run left in them. */
    static void require(List<NDArray> parameters) {
        parameters.forEach(p -> p.setRequiresGradient(true));
        zero(parameters);
    }
}
