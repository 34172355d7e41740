package io.c2cstream.engine.fuser;

import java.util.ArrayList;
import java.util.List;

/**
 * The state-dict of one projector, by the reference's tensor names (method §1.2): the single place that
 * knows which tensors exist and their shapes. Loading, saving, initialisation and parameter counts all
 * follow this list.
 */
final class ProjectorTensors {
    /** One named tensor; {@code shape} is {@code []} for scalars, weights are {@code [out, in]}. */
    record Spec(String name, long[] shape, Kind kind) {
        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** How a tensor is initialised (PyTorch defaults, method §1.6) and whether it is trained. */
    enum Kind { LINEAR_WEIGHT, LINEAR_BIAS, NORM, GATE_LOGIT, TEMPERATURE }

    static final String[] PATHS = {"key", "value"};
    static final String TEMPERATURE = "gate_temperature";

    private ProjectorTensors() {}

    static List<Spec> of(ProjectorConfig c) {
        List<Spec> specs = new ArrayList<>();
        for (String x : PATHS) {
            linear(specs, x + "_in", c.hiddenDim(), c.sharerWidth() + c.receiverWidth());
            ffn(specs, x + "_mlp1.blocks.0", c.hiddenDim(), c.intermediateDim());
            ffn(specs, x + "_scalar_mlp2.blocks.0", c.hiddenDim(), c.hiddenDim());
            linear(specs, x + "_scalar_head", c.receiverHeads(), c.hiddenDim());
            for (int i = 0; i < c.numLayers() - 2; i++) {
                ffn(specs, x + "_proj_mlp2.blocks." + i, c.hiddenDim(), c.intermediateDim());
            }
            linear(specs, x + "_proj_out", c.receiverWidth(), c.hiddenDim());
        }
        for (String x : PATHS) {
            specs.add(new Spec(x + "_gate_logit", new long[0], Kind.GATE_LOGIT));
        }
        specs.add(new Spec(TEMPERATURE, new long[0], Kind.TEMPERATURE));
        return specs;
    }

    /** Trainable parameters (the temperature is a buffer), method §1.8. */
    static long parameterCount(ProjectorConfig c) {
        return of(c).stream().filter(s -> s.kind() != Kind.TEMPERATURE).mapToLong(Spec::elements).sum();
    }

    private static void linear(List<Spec> specs, String name, long out, long in) {
        specs.add(new Spec(name + ".weight", new long[] {out, in}, Kind.LINEAR_WEIGHT));
        specs.add(new Spec(name + ".bias", new long[] {out}, Kind.LINEAR_BIAS));
    }

    /** A pre-norm FFN block: RMSNorm gain, then Linear(width→inner) and Linear(inner→width), no biases. */
    private static void ffn(List<Spec> specs, String name, long width, long inner) {
        specs.add(new Spec(name + ".norm.weight", new long[] {width}, Kind.NORM));
        specs.add(new Spec(name + ".w1.weight", new long[] {inner, width}, Kind.LINEAR_WEIGHT));
        specs.add(new Spec(name + ".w2.weight", new long[] {width, inner}, Kind.LINEAR_WEIGHT));
    }
}
