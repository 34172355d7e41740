package io.c2cstream.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** Arrays made by {@link NativeArrays} stay valid for whatever libtorch still holds on to them. */
class NativeArraysTest {
    @Test
    void aViewOutlivesTheArrayItWasCutFrom() {
        try (NDManager outer = NDManager.newBaseManager()) {
            NDArray view;
            try (NDManager scope = outer.newSubManager()) {
                NDArray array = NativeArrays.copyOf(scope, new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
                view = array.get(new NDIndex("1, 1:"));
                view.attach(outer);
            }
            FreedNativeMemory.collectAndOverwrite();
            assertArrayEquals(new float[] {5, 6}, view.toFloatArray());
        }
    }

    @Test
    void productsAndQuotientsKeepTheirConstantsForTheBackwardPass() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = NativeArrays.copyOf(manager, new float[] {1, 2, 3}, new Shape(3));
            x.setRequiresGradient(true);
            x.getGradient().set(new NDIndex("..."), 0f);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = NativeArrays.div(NativeArrays.mul(x, 3f), 0.5f);
                FreedNativeMemory.collectAndOverwrite();
                collector.backward(y.sum());
            }
            assertArrayEquals(new float[] {6, 6, 6}, x.getGradient().toFloatArray());
        }
    }
}
