package io.c2cstream.engine.fuser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import io.c2cstream.engine.model.NativeArrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The C2C projector of one receiver layer (method §1): it reads the sharer's and the receiver's cache
 * entries for the same tokens and returns the receiver's entries with a gated, per-head weighted projection
 * added. Keys and values go through two independent, identically shaped networks:
 *
 * <pre>
 *   h    = FFN_trunk(W_in·[sharer ; receiver] + b_in)            sharer heads first, head-major
 *   proj = W_out·FFN_proj…(h) + b_out                            [Ht·Dt]
 *   w    = sigmoid(W_head·FFN_scalar(h) + b_head)               one weight per receiver head and token
 *   X'   = X_receiver + gate · w · proj                           gate: 1 iff logit > 0 (inference)
 *   FFN(x) = x + W2·GELU(W1·RMSNorm(x))                          exact-erf GELU, eps 1e-6, dropout in training
 * </pre>
 *
 * Tensors are held by their reference names (see {@link ProjectorTensors}) in the projector's own native
 * memory; {@link #close()} frees it.
 */
public final class C2cProjector implements AutoCloseable {
    private static final float NORM_EPS = 1e-6f;

    private final ProjectorConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> tensors;

    private C2cProjector(ProjectorConfig config, NDManager manager, Map<String, NDArray> tensors) {
        this.config = config;
        this.manager = manager;
        this.tensors = tensors;
    }

    /**
     * A projector whose tensors come from {@code source} (one f32 array per spec, row-major), e.g. a
     * checkpoint file or a test's fill rule.
     */
    static C2cProjector fromTensors(ProjectorConfig config, NDManager parent, Function<ProjectorTensors.Spec, float[]> source) {
        NDManager manager = parent.newSubManager();
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try {
            for (ProjectorTensors.Spec spec : ProjectorTensors.of(config)) {
                tensors.put(spec.name(), NativeArrays.copyOf(manager, source.apply(spec), new Shape(spec.shape())));
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return new C2cProjector(config, manager, tensors);
    }

    /**
     * A freshly initialised projector, as PyTorch initialises the reference (method §1.6): linear weights
     * and biases uniform in ±1/√fan_in, norm gains 1, gate logits 0 (so the gates start closed at
     * inference), temperature at its initial value.
     */
    public static C2cProjector initialize(ProjectorConfig config, NDManager parent, Random random) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        ProjectorTensors.of(config).forEach(s -> shapes.put(s.name(), s.shape()));
        return fromTensors(config, parent, spec -> {
            float[] values = new float[(int) spec.elements()];
            switch (spec.kind()) {
                case LINEAR_WEIGHT, LINEAR_BIAS -> {
                    long fanIn = shapes.get(spec.name().replaceAll("\\.bias$", ".weight"))[1];
                    double bound = 1 / Math.sqrt(fanIn);
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                    }
                }
                case NORM -> java.util.Arrays.fill(values, 1f);
                case GATE_LOGIT -> values[0] = 0f;
                case TEMPERATURE -> values[0] = (float) config.initialTemperature();
            }
            return values;
        });
    }

    public ProjectorConfig config() {
        return config;
    }

    /** Tensors by reference name, in state-dict order; trainable ones are all but the temperature. */
    public Map<String, NDArray> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public float keyGateLogit() {
        return tensors.get("key_gate_logit").getFloat();
    }

    public float valueGateLogit() {
        return tensors.get("value_gate_logit").getFloat();
    }

    /** Sets both gate logits, e.g. to force a layer open or closed in an ablation. */
    public void setGateLogits(float key, float value) {
        tensors.get("key_gate_logit").set(new float[] {key});
        tensors.get("value_gate_logit").set(new float[] {value});
    }

    /** The inference gate is a hard step with a strict inequality: an untrained (logit 0) gate is closed. */
    public boolean keyGateOpen() {
        return keyGateLogit() > 0;
    }

    public boolean valueGateOpen() {
        return valueGateLogit() > 0;
    }

    /** The cache entries of one layer over one token range, keys and values {@code [B, heads, N, headDim]}. */
    public record Kv(NDArray keys, NDArray values) {}

    /**
     * Inference: fuses sharer entries {@code [B, Hs, N, Ds]} into receiver entries {@code [B, Ht, N, Dt]}.
     * A closed path returns the receiver's own array untouched, without computing anything.
     */
    public Kv fuse(Kv sharer, Kv receiver) {
        NDArray keys = keyGateOpen() ? path("key", sharer.keys(), receiver.keys(), null, null) : receiver.keys();
        NDArray values = valueGateOpen() ? path("value", sharer.values(), receiver.values(), null, null) : receiver.values();
        return new Kv(keys, values);
    }

    /**
     * Training (method §1.4): dropout on, and each path's gate is {@code sigmoid((logit + γ) / T)} with an
     * independent standard Gumbel sample γ per (batch, receiver head, token) — one sample, not a logistic
     * difference — drawn from {@code random}, which also draws the dropout masks, so that a training run
     * is reproducible from its seeds.
     */
    public Kv fuseTraining(Kv sharer, Kv receiver, double temperature, Random random) {
        NDArray keys = path("key", sharer.keys(), receiver.keys(), gumbelGate("key", receiver.keys(), temperature, random),
                random);
        NDArray values = path("value", sharer.values(), receiver.values(),
                gumbelGate("value", receiver.values(), temperature, random), random);
        return new Kv(keys, values);
    }

    private NDArray gumbelGate(String path, NDArray receiver, double temperature, Random random) {
        Shape shape = receiver.getShape();                                  // [B, Ht, N, Dt]
        int count = Math.toIntExact(shape.get(0) * shape.get(1) * shape.get(2));
        float[] gumbel = new float[count];
        for (int i = 0; i < count; i++) {
            double u = random.nextDouble();
            gumbel[i] = (float) -Math.log(-Math.log(u + 1e-20) + 1e-20);
        }
        NDArray noise = NativeArrays.copyOf(receiver.getManager(), gumbel,
                new Shape(shape.get(0), shape.get(1), shape.get(2), 1));
        return NativeArrays.div(noise.add(tensors.get(path + "_gate_logit")), (float) temperature).getNDArrayInternal()
                .sigmoid();
    }

    /**
     * One path: receiver + gate · w · proj. {@code gate} null means the inference gate, which is open here;
     * {@code dropout} null means no dropout (inference).
     */
    private NDArray path(String x, NDArray sharer, NDArray receiver, NDArray gate, Random dropout) {
        Shape r = receiver.getShape();                                      // [B, Ht, N, Dt]
        long b = r.get(0);
        long heads = r.get(1);
        long tokens = r.get(2);
        NDArray sharerFlat = sharer.transpose(0, 2, 1, 3).reshape(b, tokens, config.sharerWidth());
        NDArray receiverFlat = receiver.transpose(0, 2, 1, 3).reshape(b, tokens, config.receiverWidth());
        NDArray h = linear(NDArrays.concat(new NDList(sharerFlat, receiverFlat), 2), x + "_in");  // [B, N, Hid]
        h = ffn(h, x + "_mlp1.blocks.0", dropout);
        NDArray p = h;
        for (int i = 0; i < config.numLayers() - 2; i++) {
            p = ffn(p, x + "_proj_mlp2.blocks." + i, dropout);
        }
        NDArray projection = linear(p, x + "_proj_out")                   // [B, N, Ht·Dt]
                .reshape(b, tokens, heads, config.receiverHeadDim()).transpose(0, 2, 1, 3);
        NDArray weights = linear(ffn(h, x + "_scalar_mlp2.blocks.0", dropout), x + "_scalar_head")  // [B, N, Ht]
                .getNDArrayInternal().sigmoid().transpose(0, 2, 1).expandDims(3);              // [B, Ht, N, 1]
        NDArray delta = weights.mul(projection);
        return receiver.add(gate == null ? delta : gate.mul(delta));
    }

    private NDArray linear(NDArray x, String name) {
        return Linear.linear(x, tensors.get(name + ".weight"), tensors.get(name + ".bias")).singletonOrThrow();
    }

    private NDArray ffn(NDArray x, String block, Random dropout) {
        NDArray normed = x.div(x.square().mean(new int[] {-1}, true).add(NORM_EPS).sqrt()).mul(tensors.get(block + ".norm.weight"));
        NDArray inner = Linear.linear(normed, tensors.get(block + ".w1.weight"), null).singletonOrThrow()
                .getNDArrayInternal().gelu();
        NDArray out = Linear.linear(inner, tensors.get(block + ".w2.weight"), null).singletonOrThrow();
        if (dropout != null && config.dropout() > 0) {
            out = out.mul(dropoutMask(out, dropout));
        }
        return x.add(out);
    }

    private NDArray dropoutMask(NDArray like, Random random) {
        float[] mask = InvertedDropout.mask(Math.toIntExact(like.size()), config.dropout(), random.nextLong());
        return NativeArrays.copyOf(like.getManager(), mask, like.getShape());
    }

    /** Number of trainable parameters (method §1.8). */
    public static long parameterCount(ProjectorConfig config) {
        return ProjectorTensors.parameterCount(config);
    }

    /** The names of the projector's tensors, in state-dict order. */
    public static List<String> tensorNames(ProjectorConfig config) {
        return ProjectorTensors.of(config).stream().map(ProjectorTensors.Spec::name).toList();
    }

    @Override
    public void close() {
        manager.close();
    }
}
