package io.c2cstream.engine.fuser;

import static io.c2cstream.engine.fuser.C2cProjectorTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stacked inference form computes each projector's own path (method §1, §10.1). */
class ProjectorStackTest {
    @Test
    void bothPathsOfTheTestVectorProjectorMatchCaseB() {
        try (NDManager m = NDManager.newBaseManager(); C2cProjector p = C2cProjectorTest.vectorProjector(m, 0.5f, 0.5f);
             ProjectorStack stack = ProjectorStack.of(new int[] {0}, List.of(p), m)) {
            C2cProjector.Kv sharer = C2cProjectorTest.sharerInputs(m);
            C2cProjector.Kv receiver = C2cProjectorTest.receiverInputs(m);
            NDArray fused = ProjectorStack.fuse(stack.all(), pair(sharer), pair(receiver));
            assertArrayEquals(new long[] {2, 1, 2, 3, 2}, fused.getShape().getShape());
            assertClose(C2cProjectorTest.OUTPUT_KEY, fused.get(0).toFloatArray());
            assertClose(C2cProjectorTest.OUTPUT_VALUE_OPEN, fused.get(1).toFloatArray());
        }
    }

    @Test
    void eachLayersSliceOfAStackOfThreeEqualsItsProjector() {
        ProjectorConfig config = new ProjectorConfig(3, 4, 2, 5, 12, 10, 4, 0.1, 1.0, 0.001, 100);
        Random random = new Random(11);
        try (NDManager m = NDManager.newBaseManager()) {
            List<C2cProjector> projectors = List.of(open(config, m, random), open(config, m, random), open(config, m, random));
            NDArray sharer = m.randomNormal(new Shape(6, 2, 3, 7, 4));
            NDArray receiver = m.randomNormal(new Shape(6, 2, 2, 7, 5));
            try (ProjectorStack stack = ProjectorStack.of(new int[] {1, 3, 4}, projectors, m)) {
                NDArray all = ProjectorStack.fuse(stack.all(), sharer, receiver);
                for (int k = 0; k < 3; k++) {
                    C2cProjector.Kv expected = projectors.get(k).fuse(new C2cProjector.Kv(sharer.get(2 * k), sharer.get(2 * k + 1)),
                            new C2cProjector.Kv(receiver.get(2 * k), receiver.get(2 * k + 1)));
                    NDArray alone = ProjectorStack.fuse(stack.layer(k), sharer.get(2 * k + ":" + (2 * k + 2)),
                            receiver.get(2 * k + ":" + (2 * k + 2)));
                    for (NDArray fused : List.of(all.get(2 * k + ":" + (2 * k + 2)), alone)) {
                        assertRelativelyClose(expected.keys(), fused.get(0), "layer " + k + " keys");
                        assertRelativelyClose(expected.values(), fused.get(1), "layer " + k + " values");
                    }
                }
                assertEquals(1, stack.indexOf(3));
                assertEquals(-1, stack.indexOf(0));
            }
        }
    }

    @Test
    void projectorsOfDifferentShapesAreNotStacked() {
        try (NDManager m = NDManager.newBaseManager()) {
            C2cProjector small = C2cProjector.initialize(ProjectorConfig.reference(1, 2, 2, 2, 4, 3), m, new Random(1));
            C2cProjector wide = C2cProjector.initialize(ProjectorConfig.reference(1, 2, 2, 2, 8, 3), m, new Random(1));
            assertThrows(IllegalArgumentException.class, () -> ProjectorStack.of(new int[] {0, 1}, List.of(small, wide), m));
        }
    }

    private static C2cProjector open(ProjectorConfig config, NDManager m, Random random) {
        C2cProjector p = C2cProjector.initialize(config, m, random);
        p.setGateLogits(1f, 1f);
        return p;
    }

    private static NDArray pair(C2cProjector.Kv kv) {
        return NDArrays.stack(new NDList(kv.keys(), kv.values()));
    }

    /** Batched and separate matrix products round differently: equal to 1e-5 of the largest entry. */
    static void assertRelativelyClose(NDArray expected, NDArray actual, String what) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), what);
        float scale = expected.abs().max().getFloat();
        float error = expected.sub(actual).abs().max().getFloat();
        assertEquals(0, error / scale, 1e-5, what + ": max error " + error + " of " + scale);
    }
}
