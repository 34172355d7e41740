package io.c2cstream.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in Hugging Face's "rotate halves" layout: pair i of a head is (x[i], x[i+d/2]),
 * rotated by angle {@code position · invFreq[i]}. Angles are computed in f32 like the reference, so logits match.
 */
final class RotaryEmbedding {
    private final int headDim;
    private final float[] invFreq;

    RotaryEmbedding(int headDim, double theta, RopeScaling scaling) {
        this.headDim = headDim;
        float[] inv = new float[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / headDim;
            inv[i] = 1.0f / (float) Math.pow(theta, exponent);
        }
        this.invFreq = scaling == null ? inv : scaling.scale(inv);
    }

    /** The per-pair inverse frequencies after scaling, {@code [headDim/2]} (a copy, for tests). */
    float[] inverseFrequencies() {
        return invFreq.clone();
    }

    /** cos and sin of pair i's angle at {@code position}, for i below headDim/2, written from {@code offset}. */
    void angles(int position, float[] cos, float[] sin, int offset) {
        for (int i = 0; i < invFreq.length; i++) {
            float angle = position * invFreq[i];
            cos[offset + i] = (float) Math.cos(angle);
            sin[offset + i] = (float) Math.sin(angle);
        }
    }

    /** cos and sin tables {@code [batch, tokens, 1, headDim]} for the given positions, broadcast over heads. */
    Tables tables(NDManager manager, int[][] positions) {
        int batch = positions.length;
        int tokens = positions[0].length;
        int half = headDim / 2;
        float[] cos = new float[batch * tokens * headDim];
        float[] sin = new float[cos.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < tokens; t++) {
                int base = (b * tokens + t) * headDim;
                angles(positions[b][t], cos, sin, base);
                System.arraycopy(cos, base, cos, base + half, half);
                System.arraycopy(sin, base, sin, base + half, half);
            }
        }
        Shape shape = new Shape(batch, tokens, 1, headDim);
        return new Tables(NativeArrays.copyOf(manager, cos, shape), NativeArrays.copyOf(manager, sin, shape));
    }

    /**
     * The matrix R with {@code x·R = rotate_half(x) = [-x2, x1]}: one matmul instead of split, negate and
     * concatenate (each a native call) on the decode path. Entries are 0 and ±1, so the product is exact.
     */
    static NDArray rotateHalfMatrix(NDManager manager, int headDim) {
        int half = headDim / 2;
        float[] r = new float[headDim * headDim];
        for (int j = 0; j < half; j++) {
            r[(j + half) * headDim + j] = -1f;
            r[j * headDim + j + half] = 1f;
        }
        return NativeArrays.copyOf(manager, r, new Shape(headDim, headDim));
    }

    record Tables(NDArray cos, NDArray sin) {
        /** x·cos + rotate_half(x)·sin for x {@code [batch, tokens, heads, headDim]}. */
        NDArray apply(NDArray x, NDArray rotateHalf) {
            return x.mul(cos).add(x.matMul(rotateHalf).mul(sin));
        }
    }
}
