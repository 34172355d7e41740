package io.c2cstream.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.c2cstream.engine.model.NativeArrays;

/** Next-token cross-entropy over logits {@code [batch, tokens, vocab]}. */
final class CrossEntropy {
    private CrossEntropy() {}

    /** Mean negative log-likelihood of the targets {@code [batch][tokens]}; slots with target −1 are left out. */
    static NDArray mean(NDArray logits, int[][] targets, NDManager scope) {
        int rows = targets.length;
        int columns = targets[0].length;
        long[] index = new long[rows * columns];
        float[] mask = new float[rows * columns];
        int count = 0;
        for (int b = 0; b < rows; b++) {
            for (int c = 0; c < columns; c++) {
                boolean learned = targets[b][c] >= 0;
                index[b * columns + c] = learned ? targets[b][c] : 0;
                mask[b * columns + c] = learned ? 1f : 0f;
                count += learned ? 1 : 0;
            }
        }
        Shape shape = new Shape(rows, columns, 1);
        NDArray picked = logits.logSoftmax(-1).gather(NativeArrays.copyOf(scope, index, shape), 2);
        return NativeArrays.div(picked.mul(NativeArrays.copyOf(scope, mask, shape)).sum().neg(), Math.max(1, count));
    }
}
