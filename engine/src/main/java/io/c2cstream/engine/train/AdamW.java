package io.c2cstream.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW with decoupled weight decay, as PyTorch implements it: {@code p ← p·(1 − lr·wd)}, then the
 * bias-corrected Adam step. Moments live in the optimizer's own native memory.
 */
public final class AdamW implements AutoCloseable {
    private final List<NDArray> parameters;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final NDManager manager;
    private int steps;

    public AdamW(List<NDArray> parameters, double beta1, double beta2, double epsilon, double weightDecay) {
        this.parameters = List.copyOf(parameters);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.manager = NDManager.newBaseManager(parameters.get(0).getDevice());
        for (NDArray p : parameters) {
            firstMoments.add(manager.zeros(p.getShape()));
            secondMoments.add(manager.zeros(p.getShape()));
        }
    }

    /** PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8. */
    public static AdamW withDefaults(List<NDArray> parameters, double weightDecay) {
        return new AdamW(parameters, 0.9, 0.999, 1e-8, weightDecay);
    }

    /** Number of updates applied so far. */
    public int steps() {
        return steps;
    }

    public List<NDArray> firstMoments() {
        return firstMoments;
    }

    public List<NDArray> secondMoments() {
        return secondMoments;
    }

    /** Restores a saved state: moments in parameter order and the update count. */
    public void restore(List<float[]> first, List<float[]> second, int steps) {
        for (int i = 0; i < parameters.size(); i++) {
            firstMoments.get(i).set(first.get(i));
            secondMoments.get(i).set(second.get(i));
        }
        this.steps = steps;
    }

    /** One update with the gradients the parameters carry; parameters change in place. */
    public void step(double learningRate) {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        try (NDManager scope = manager.newSubManager()) {
            for (int i = 0; i < parameters.size(); i++) {
                NDArray p = parameters.get(i);
                NDArray g = p.getGradient();
                g.attach(scope);
                NDArray m = firstMoments.get(i);
                NDArray v = secondMoments.get(i);
                // Results of operations belong to their first operand's manager: borrow the moments into the
                // scope so that every intermediate is freed with it. The parameter is only updated in place.
                m.tempAttach(scope);
                v.tempAttach(scope);
                m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
                v.muli((float) beta2).addi(g.square().mul((float) (1 - beta2)));
                NDArray update = m.div((float) correction1)
                        .div(v.div((float) correction2).sqrt().add((float) epsilon)).mul((float) learningRate);
                p.muli((float) (1 - learningRate * weightDecay)).subi(update);
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
