package io.c2cstream.schemas.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random slices and the exact expectations the codec must meet, shared by the specification and fuzz tests. */
final class Slices {

    private Slices() {
    }

    /** A slice of the given shape with values like a KV cache (roughly unit scale, some outliers). */
    static KvSlice random(SplittableRandom random, int layerStart, int layers, int tokenStart, int tokens, int heads,
                          int headDim, boolean specialValues) {
        int elements = heads * tokens * headDim;
        List<ByteBuffer> keys = new ArrayList<>();
        List<ByteBuffer> values = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            keys.add(randomTensor(random, elements, specialValues));
            values.add(randomTensor(random, elements, specialValues));
        }
        return new KvSlice(layerStart, tokenStart, tokens, heads, headDim, keys, values);
    }

    /**
     * Direct or heap, sometimes starting past byte 0 (not always at a multiple of 4), and in either byte-order
     * setting, since the codec must honour positions and read the bytes as native-order floats whatever the setting.
     */
    private static ByteBuffer randomTensor(SplittableRandom random, int elements, boolean specialValues) {
        int lead = random.nextBoolean() ? 0 : random.nextInt(1, 9);
        int bytes = lead + elements * Float.BYTES;
        ByteBuffer buffer = random.nextBoolean() ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes);
        FloatBuffer floats = buffer.position(lead).slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < elements; i++) {
            floats.put(i, value(random, specialValues));
        }
        return buffer.order(random.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    private static float value(SplittableRandom random, boolean specialValues) {
        if (specialValues) {
            switch (random.nextInt(40)) {
                case 0: return Float.NaN;
                case 1: return Float.POSITIVE_INFINITY;
                case 2: return -0f;
                case 3: return Float.MIN_VALUE;
                case 4: return 70_000f;
                default: break;
            }
        }
        double scale = random.nextInt(50) == 0 ? 30.0 : 1.0;
        return (float) (random.nextGaussian() * scale);
    }

    /** What a dtype must give back: exact for F32, the nearest-even rounding for F16 and BF16. */
    static float expected(KvDtype dtype, float value) {
        return switch (dtype) {
            case F32 -> value;
            case F16 -> HalfFloats.fromF16(HalfFloats.toF16(value));
            case BF16 -> HalfFloats.fromBf16(HalfFloats.toBf16(value));
            case INT8 -> throw new IllegalArgumentException("INT8 has a bound, not an exact value");
        };
    }

    /** Asserts that {@code decoded} is {@code original} as {@code dtype} promises, element by element. */
    static void assertRoundTrip(KvDtype dtype, KvSlice original, KvSlice decoded) {
        assertTrue(original.sameShape(decoded), "shape");
        for (int l = 0; l < original.layerCount(); l++) {
            assertTensor(dtype, original, original.keyFloats(l), decoded.keyFloats(l), "keys " + l);
            assertTensor(dtype, original, original.valueFloats(l), decoded.valueFloats(l), "values " + l);
        }
    }

    private static void assertTensor(KvDtype dtype, KvSlice shape, FloatBuffer original, FloatBuffer decoded,
                                     String name) {
        int headDim = shape.headDim();
        int rows = shape.kvHeads() * shape.tokenCount();
        for (int row = 0; row < rows; row++) {
            float absMax = 0f;
            for (int d = 0; d < headDim; d++) {
                absMax = Math.max(absMax, Math.abs(original.get(original.position() + row * headDim + d)));
            }
            float scale = absMax / 127f;
            for (int d = 0; d < headDim; d++) {
                int i = row * headDim + d;
                float want = original.get(original.position() + i);
                float got = decoded.get(decoded.position() + i);
                if (dtype == KvDtype.INT8) {
                    // half a quantization step, plus float rounding of the scale and the product; rows too small
                    // to matter (absmax below 2^-120) decode to zero
                    double bound = absMax < 0x1p-120f ? absMax : scale * 0.5 * (1 + 1e-5) + Float.MIN_NORMAL;
                    if (Math.abs((double) want - got) > bound) {
                        fail(name + " element " + i + ": " + got + " is more than " + bound + " from " + want);
                    }
                } else {
                    float exact = expected(dtype, want);
                    if (Float.isNaN(exact)) {
                        assertTrue(Float.isNaN(got), name + " element " + i + " should be NaN");
                    } else {
                        assertEquals(Float.floatToIntBits(exact), Float.floatToIntBits(got),
                                name + " element " + i + ": " + want + " -> " + got + ", expected " + exact);
                    }
                }
            }
        }
    }
}
