package io.c2cstream.engine.fuser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.c2cstream.engine.model.FreedNativeMemory;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The projector against the method's test vectors (§10.1), invariants (§10.2) and parameter counts (§1.8). */
class C2cProjectorTest {
    /** §10.1 geometry: Hs=1, Ds=2, Ht=2, Dt=2, Hid=4, Int=3, L=3. */
    private static final ProjectorConfig TINY = new ProjectorConfig(1, 2, 2, 2, 4, 3, 3, 0.1, 1.0, 0.001, 1929);
    private static final double TOLERANCE = 1e-6;

    static final float[] OUTPUT_KEY = {
        0.558257073f, 0.582357972f, 0.825019222f, 0.778252756f, 0.829339919f, 0.763086782f,
        0.246332112f, 0.134286429f, 0.075085334f, -0.050022872f, -0.050293916f, -0.184876232f};
    static final float[] OUTPUT_VALUE_OPEN = {
        0.271320398f, 0.297723657f, 0.052203480f, 0.055255392f, -0.227645245f, 0.032959223f,
        -0.090481534f, -0.216236715f, 0.179387975f, 0.003554304f, 0.372164203f, -0.081074811f};

    @ParameterizedTest(name = "Ein {0} gives {1} parameters per projector")
    @CsvSource({"2, 64, 17066002", "8, 128, 18901010", "8, 64, 17852434", "2, 128, 17328146"})
    void parameterCountsMatchTheMethod(int sharerHeads, int sharerHeadDim, long expected) {
        // Receiver Qwen3-0.6B (8 KV heads × 128), Hid = Int = 1024, L = 3 (method §1.8).
        assertEquals(expected, C2cProjector.parameterCount(ProjectorConfig.reference(sharerHeads, sharerHeadDim, 8, 128, 1024, 1024)));
    }

    @Test
    void keyGateOpenValueGateClosedMatchesCaseA() {
        try (NDManager m = NDManager.newBaseManager(); C2cProjector p = vectorProjector(m, 0.5f, -0.5f)) {
            C2cProjector.Kv receiver = receiverInputs(m);
            C2cProjector.Kv out = p.fuse(sharerInputs(m), receiver);
            assertClose(OUTPUT_KEY, out.keys().toFloatArray());
            assertSame(receiver.values(), out.values(), "a closed gate returns the receiver values untouched");
            assertArrayEquals(new long[] {1, 2, 3, 2}, out.keys().getShape().getShape());
        }
    }

    @Test
    void bothGatesOpenMatchCaseB() {
        try (NDManager m = NDManager.newBaseManager(); C2cProjector p = vectorProjector(m, 0.5f, 0.5f)) {
            C2cProjector.Kv out = p.fuse(sharerInputs(m), receiverInputs(m));
            assertClose(OUTPUT_KEY, out.keys().toFloatArray());
            assertClose(OUTPUT_VALUE_OPEN, out.values().toFloatArray());
        }
    }

    @Test
    void aFreshProjectorIsClosedAndReturnsTheReceiverBitForBit() {
        try (NDManager m = NDManager.newBaseManager();
             C2cProjector p = C2cProjector.initialize(TINY, m, new Random(1))) {
            assertFalse(p.keyGateOpen());
            assertFalse(p.valueGateOpen(), "logit 0 is closed: the inference gate is strict");
            C2cProjector.Kv receiver = receiverInputs(m);
            C2cProjector.Kv out = p.fuse(sharerInputs(m), receiver);
            assertArrayEquals(receiver.keys().toFloatArray(), out.keys().toFloatArray());
            assertArrayEquals(receiver.values().toFloatArray(), out.values().toFloatArray());
        }
    }

    @Test
    void theFusedDeltaIsBoundedByTheProjection() {
        // With the gate open, |X' − X| = w·|proj| and 0 < w < 1: the change never exceeds the projection.
        try (NDManager m = NDManager.newBaseManager(); C2cProjector open = vectorProjector(m, 0.5f, 0.5f)) {
            C2cProjector.Kv receiver = receiverInputs(m);
            float[] fused = open.fuse(sharerInputs(m), receiver).keys().toFloatArray();
            float[] before = receiver.keys().toFloatArray();
            try (C2cProjector unweighted = projectorWithWeightsSaturated(m)) {
                float[] projection = unweighted.fuse(sharerInputs(m), receiver).keys().sub(receiver.keys()).toFloatArray();
                for (int i = 0; i < fused.length; i++) {
                    assertTrue(Math.abs(fused[i] - before[i]) <= Math.abs(projection[i]) + 1e-6, "element " + i);
                }
            }
        }
    }

    @Test
    void trainingGatesAreStochasticPerHeadAndToken() {
        try (NDManager m = NDManager.newBaseManager(); C2cProjector p = vectorProjector(m, 0.0f, 0.0f)) {
            C2cProjector.Kv receiver = receiverInputs(m);
            float[] a = p.fuseTraining(sharerInputs(m), receiver, 1.0, new Random(1)).keys().toFloatArray();
            float[] b = p.fuseTraining(sharerInputs(m), receiver, 1.0, new Random(2)).keys().toFloatArray();
            assertFalse(java.util.Arrays.equals(a, b), "different Gumbel noise gives different training outputs");
        }
    }

    @Test
    void trainingGradientsAreTheSameWhenTheGarbageCollectorRunsBetweenForwardAndBackward() {
        try (NDManager m = NDManager.newBaseManager(); C2cProjector p = vectorProjector(m, 0.0f, 0.0f)) {
            List<NDArray> trainable = List.copyOf(p.tensors().values());
            trainable.forEach(t -> t.setRequiresGradient(true));
            float[][] undisturbed = trainingGradients(p, trainable, () -> { });
            float[][] afterGc = trainingGradients(p, trainable, FreedNativeMemory::collectAndOverwrite);
            assertArrayEquals(undisturbed, afterGc);
        }
    }

    /** Each tensor's gradient from one training fusion; {@code between} runs before the backward pass. */
    private static float[][] trainingGradients(C2cProjector p, List<NDArray> trainable, Runnable between) {
        for (NDArray t : trainable) {
            try (NDArray g = t.getGradient()) {
                g.set(new NDIndex("..."), 0f);
            }
        }
        try (NDManager scope = NDManager.newBaseManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            C2cProjector.Kv out = p.fuseTraining(sharerInputs(scope), receiverInputs(scope), 0.5, new Random(3));
            between.run();
            collector.backward(out.keys().add(out.values()).square().sum());
        }
        float[][] gradients = new float[trainable.size()][];
        for (int i = 0; i < gradients.length; i++) {
            try (NDArray g = trainable.get(i).getGradient()) {
                gradients[i] = g.toFloatArray();
            }
        }
        return gradients;
    }

    /** The §10.1 projector: element k of tensor t is 0.5·sin(0.37·(k+1) + 0.91·(t+1)). */
    static C2cProjector vectorProjector(NDManager m, float keyLogit, float valueLogit) {
        List<String> order = C2cProjector.tensorNames(TINY);
        return C2cProjector.fromTensors(TINY, m, spec -> {
            int t = order.indexOf(spec.name());
            float[] v = new float[(int) spec.elements()];
            switch (spec.kind()) {
                case GATE_LOGIT -> v[0] = spec.name().startsWith("key") ? keyLogit : valueLogit;
                case TEMPERATURE -> v[0] = 1f;
                default -> {
                    for (int k = 0; k < v.length; k++) {
                        v[k] = (float) (0.5 * Math.sin(0.37 * (k + 1) + 0.91 * (t + 1)));
                    }
                }
            }
            return v;
        });
    }

    /** The §10.1 projector with its weight heads forced to sigmoid ≈ 1, so that the delta is the projection. */
    private static C2cProjector projectorWithWeightsSaturated(NDManager m) {
        List<String> order = C2cProjector.tensorNames(TINY);
        return C2cProjector.fromTensors(TINY, m, spec -> {
            int t = order.indexOf(spec.name());
            float[] v = new float[(int) spec.elements()];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) (0.5 * Math.sin(0.37 * (k + 1) + 0.91 * (t + 1)));
            }
            if (spec.name().endsWith("_scalar_head.weight")) {
                java.util.Arrays.fill(v, 0f);
            } else if (spec.name().endsWith("_scalar_head.bias")) {
                java.util.Arrays.fill(v, 40f);
            } else if (spec.kind() == ProjectorTensors.Kind.GATE_LOGIT) {
                v[0] = 1f;
            }
            return v;
        });
    }

    static C2cProjector.Kv sharerInputs(NDManager m) {
        return new C2cProjector.Kv(fill(m, new Shape(1, 1, 3, 2), f -> Math.sin(0.5 * f + 0.1)),
                fill(m, new Shape(1, 1, 3, 2), f -> Math.cos(0.4 * f + 0.2)));
    }

    static C2cProjector.Kv receiverInputs(NDManager m) {
        return new C2cProjector.Kv(fill(m, new Shape(1, 2, 3, 2), f -> 0.25 * Math.sin(0.3 * f + 0.3)),
                fill(m, new Shape(1, 2, 3, 2), f -> 0.25 * Math.cos(0.6 * f + 0.4)));
    }

    private static NDArray fill(NDManager m, Shape shape, IntToDoubleFunction f) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) f.applyAsDouble(i);
        }
        return m.create(v, shape);
    }

    static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE, "element " + i);
        }
    }
}
