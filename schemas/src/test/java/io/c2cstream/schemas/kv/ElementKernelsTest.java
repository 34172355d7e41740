package io.c2cstream.schemas.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The vector kernels give the scalar kernels' bits for every input: exhaustively where inputs are 16 bits wide, on
 * edge cases and millions of random inputs where they are 32 (every one of them on request). The test JVM has
 * {@code jdk.incubator.vector} (surefire's argLine), so both run here; the scalar ones are called directly. Every
 * comparison also runs on ranges that start and end off a vector boundary, and requires the elements outside the
 * range untouched.
 */
class ElementKernelsTest {

    private static final ElementKernels SCALAR = new ScalarKernels();
    private static final ElementKernels VECTOR = new VectorKernels();
    private static final BufferDecoding VECTOR_BUFFERS = new VectorKernels();
    /** Bytes before a tensor in {@link #sentinelTensor}: not a multiple of 4. */
    private static final int TENSOR_LEAD = 5;
    private static final byte SENTINEL = 0x5a;

    @Test
    void theCodecRunsTheVectorKernelsWhenTheModuleIsPresent() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "surefire's argLine adds it");
        assertEquals(VectorKernels.suitsThisCpu() ? VectorKernels.class : ScalarKernels.class,
                DenseElements.KERNELS.getClass());
    }

    @Test
    void f16DecodingMatchesForEveryF16() {
        short[] every = new short[1 << 16];
        for (int bits = 0; bits < every.length; bits++) {
            every[bits] = (short) bits;
        }
        float[] scalar = new float[every.length];
        SCALAR.fromF16(every, scalar, 0, every.length);
        for (int bits = 0; bits < every.length; bits++) {
            assertEquals(Float.floatToRawIntBits(HalfFloats.fromF16(every[bits])),
                    Float.floatToRawIntBits(scalar[bits]), "the scalar kernel's table is HalfFloats.fromF16");
        }
        assertSameBits(every, ElementKernels::fromF16);
    }

    @Test
    void bf16DecodingMatchesForEveryBf16() {
        short[] every = new short[1 << 16];
        for (int bits = 0; bits < every.length; bits++) {
            every[bits] = (short) bits;
        }
        assertSameBits(every, ElementKernels::fromBf16);
    }

    @Test
    void f16EncodingMatchesOnEdgeCasesTiesAndRandomFloats() {
        FloatList inputs = edgeCases();
        inputs.addBits(0x477f_e000, 0x477f_efff, 0x477f_f000, 0x477f_f001, 0x4780_0000); // 65504, the 65520 tie, 2^16
        inputs.addBits(0x3880_0000, 0x387f_ffff, 0x3380_0000, 0x3300_0000, 0x3300_0001, 0x32ff_ffff); // 2^-14, -24, -25
        for (int half = 0; half < 0x7bff; half++) {
            // halfway between neighbouring f16s (exact in float), and one float ulp either side
            float tie = (HalfFloats.fromF16((short) half) + HalfFloats.fromF16((short) (half + 1))) / 2;
            inputs.addSigned(tie, Math.nextDown(tie), Math.nextUp(tie), HalfFloats.fromF16((short) half));
        }
        addRandom(inputs, new SplittableRandom(16));
        assertSameBits(inputs.toArray(), ElementKernels::toF16);
    }

    @Test
    void bf16EncodingMatchesOnEdgeCasesTiesAndRandomFloats() {
        FloatList inputs = edgeCases();
        // rounding up to infinity, and NaNs whose payload lies in the dropped bits only
        inputs.addBits(0x7f7f_ffff, 0x7f7f_8000, 0x7f7f_7fff, 0x7f80_8000, 0x7f80_0001, 0xff80_7fff);
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 100_000; i++) {
            int upper = random.nextInt() & 0xffff_0000;
            inputs.addBits(upper | 0x8000, upper | 0x7fff, upper | 0x8001, upper); // ties go to the even upper half
        }
        addRandom(inputs, random);
        assertSameBits(inputs.toArray(), ElementKernels::toBf16);
    }

    /** Every one of the 2^32 floats, about 15 s on two cores: {@code mvn -pl schemas test -Dc2c.exhaustive=true}. */
    @Test
    @EnabledIfSystemProperty(named = "c2c.exhaustive", matches = "true")
    void everyFloatEncodesToTheSameF16AndBf16() {
        float[] floats = new float[1 << 16];
        short[][] halves = new short[4][floats.length];
        for (long first = 0; first < 1L << 32; first += floats.length) {
            for (int i = 0; i < floats.length; i++) {
                floats[i] = Float.intBitsToFloat((int) (first + i));
            }
            SCALAR.toF16(floats, halves[0], 0, floats.length);
            VECTOR.toF16(floats, halves[1], 0, floats.length);
            SCALAR.toBf16(floats, halves[2], 0, floats.length);
            VECTOR.toBf16(floats, halves[3], 0, floats.length);
            for (int i = 0; i < floats.length; i++) {
                if (halves[0][i] != halves[1][i] || halves[2][i] != halves[3][i]) {
                    fail(String.format("input %08x: f16 scalar %04x, vector %04x; bf16 scalar %04x, vector %04x",
                            first + i, halves[0][i], halves[1][i], halves[2][i], halves[3][i]));
                }
            }
        }
    }

    @Test
    void int8MatchesOnRandomRowsOfEveryKind() {
        SplittableRandom random = new SplittableRandom(8);
        for (int i = 0; i < 10_000; i++) {
            int length = random.nextBoolean() ? new int[] {64, 128}[random.nextInt(2)] : 1 + random.nextInt(300);
            float[] row = int8Row(random, i % 6, length);
            int absMaxBits = SCALAR.absMaxBits(row, 0, length);
            assertEquals(absMaxBits, VECTOR.absMaxBits(row, 0, length), () -> "absmax of " + Arrays.toString(row));
            float absMax = Float.intBitsToFloat(absMaxBits);
            float inverse = DenseElements.int8Inverse(absMax);
            assertSameBytes(row, inverse);
            byte[] quantized = new byte[length];
            SCALAR.quantize(row, quantized, 0, length, inverse);
            assertSameFloats(quantized, absMax / 127f);
        }
    }

    @Test
    void int8RowsHoldingNaNOrInfinityShowAsNonFiniteAbsmax() {
        for (int bits : new int[] {0x7f80_0000, 0xff80_0000, 0x7fc0_0000, 0x7f80_0001, 0xffff_ffff}) {
            float[] row = new float[100];
            Arrays.fill(row, 1f);
            row[77] = Float.intBitsToFloat(bits);
            assertEquals(SCALAR.absMaxBits(row, 0, row.length), VECTOR.absMaxBits(row, 0, row.length));
            assertTrue(VECTOR.absMaxBits(row, 0, row.length) >= 0x7f80_0000, Integer.toHexString(bits));
        }
    }

    @Test
    void int8TiesRoundToEvenAsInTheScalarCode() {
        float[] row = {127f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 126.5f, -126.5f, 63.5f, 0.49999997f, 0f, -0f, 3f,
            4.5f, -4.5f, 5.5f};
        byte[] scalar = new byte[row.length];
        SCALAR.quantize(row, scalar, 0, row.length, 1f);
        assertEquals(0, scalar[1], "0.5 ties to 0");
        assertEquals(2, scalar[3], "1.5 ties to 2");
        assertEquals(126, scalar[7], "126.5 ties to 126");
        assertSameBytes(row, 1f);
    }

    @Test
    void int8DecodingMatchesForEveryByteAndScale() {
        byte[] every = new byte[256 + 7];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        SplittableRandom random = new SplittableRandom(9);
        float[] scales = {0f, 1f / 127, Float.MIN_VALUE, 0x1p-120f, 3e36f, Float.MAX_VALUE / 127, 1e-3f};
        for (float scale : scales) {
            assertSameFloats(every, scale);
        }
        for (int i = 0; i < 200; i++) {
            assertSameFloats(every, Math.abs((float) random.nextGaussian()) / 127);
        }
    }

    /**
     * The vector kernels' decoding straight from a segment into a tensor buffer ({@link BufferDecoding}) gives the
     * scalar bits for every f16 and bf16, in direct and heap buffers, with the payload and the tensor off any vector
     * or 4-byte boundary and a tail after the last full vector; bytes around the tensor stay untouched.
     */
    @Test
    void bufferDecodingMatchesForEveryF16AndBf16() {
        int n = (1 << 16) + 5;
        short[] halves = new short[n];
        for (int i = 0; i < n; i++) {
            halves[i] = (short) i;
        }
        float[] f16 = new float[n];
        float[] bf16 = new float[n];
        SCALAR.fromF16(halves, f16, 0, n);
        SCALAR.fromBf16(halves, bf16, 0, n);
        for (boolean direct : new boolean[] {true, false}) {
            ByteBuffer segment = allocate(direct, 3 + n * Short.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                segment.putShort(3 + i * Short.BYTES, halves[i]);
            }
            ByteBuffer tensor = sentinelTensor(direct, n);
            VECTOR_BUFFERS.fromF16(segment, 3, tensor, TENSOR_LEAD, n);
            assertTensorBits(f16, tensor, "f16, direct " + direct);
            tensor = sentinelTensor(direct, n);
            VECTOR_BUFFERS.fromBf16(segment, 3, tensor, TENSOR_LEAD, n);
            assertTensorBits(bf16, tensor, "bf16, direct " + direct);
        }
    }

    @Test
    void bufferDequantizationMatchesForEveryByteAndScale() {
        int n = 256 + 7;
        byte[] every = new byte[n];
        for (int i = 0; i < n; i++) {
            every[i] = (byte) i;
        }
        for (boolean direct : new boolean[] {true, false}) {
            ByteBuffer segment = allocate(direct, 3 + n).position(3);
            segment.put(every).clear();
            for (float scale : new float[] {0f, 1f / 127, Float.MIN_VALUE, 3e36f, Float.MAX_VALUE / 127, 1e-3f}) {
                float[] scalar = new float[n];
                SCALAR.dequantize(every, scalar, 0, n, scale);
                ByteBuffer tensor = sentinelTensor(direct, n);
                VECTOR_BUFFERS.dequantize(segment, 3, tensor, TENSOR_LEAD, n, scale);
                assertTensorBits(scalar, tensor, "scale " + scale + ", direct " + direct);
            }
        }
    }

    private static ByteBuffer allocate(boolean direct, int bytes) {
        return direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes);
    }

    /** Room for {@code n} native-order floats after {@link #TENSOR_LEAD} bytes and before 4 more, all sentinels. */
    private static ByteBuffer sentinelTensor(boolean direct, int n) {
        ByteBuffer tensor = allocate(direct, TENSOR_LEAD + n * Float.BYTES + 4).order(ByteOrder.nativeOrder());
        for (int i = 0; i < tensor.capacity(); i++) {
            tensor.put(i, SENTINEL);
        }
        return tensor;
    }

    private static void assertTensorBits(float[] expected, ByteBuffer tensor, String what) {
        for (int i = 0; i < expected.length; i++) {
            int got = Float.floatToRawIntBits(tensor.getFloat(TENSOR_LEAD + i * Float.BYTES));
            if (got != Float.floatToRawIntBits(expected[i])) {
                fail(String.format("%s, element %d: scalar %08x, buffer kernel %08x", what, i,
                        Float.floatToRawIntBits(expected[i]), got));
            }
        }
        for (int i : new int[] {0, TENSOR_LEAD - 1, tensor.capacity() - 4, tensor.capacity() - 1}) {
            assertEquals(SENTINEL, tensor.get(i), what + ": byte " + i + " outside the tensor was written");
        }
    }

    /** Signed zeros, infinities, NaNs with payloads, subnormals, extremes: both dtypes' corner cases. */
    private static FloatList edgeCases() {
        FloatList inputs = new FloatList();
        inputs.addBits(0x0000_0000, 0x8000_0000, 0x7f80_0000, 0xff80_0000, 0x7fc0_0000, 0xffc0_0000, 0x7f80_0001,
                0xff80_0001, 0x7fbf_ffff, 0x7fff_ffff, 0xffff_ffff, 0x7fc0_1234, 0x0000_0001, 0x8000_0001,
                0x007f_ffff, 0x0080_0000, 0x7f7f_ffff, 0xff7f_ffff, 0x3f80_0000, 0xbf80_0000);
        return inputs;
    }

    /** Arbitrary bit patterns (every exponent, NaNs included) and cache-like values at several scales. */
    private static void addRandom(FloatList inputs, SplittableRandom random) {
        for (int i = 0; i < 1_000_000; i++) {
            inputs.addBits(random.nextInt());
        }
        for (double scale : new double[] {1e-6, 1e-3, 1, 30, 1e4, 1e6}) {
            for (int i = 0; i < 100_000; i++) {
                inputs.add((float) (random.nextGaussian() * scale));
            }
        }
    }

    /** Zero, subnormal, tiny, huge, mixed-magnitude and cache-like rows. */
    private static float[] int8Row(SplittableRandom random, int kind, int length) {
        float[] row = new float[length];
        double tiny = random.nextBoolean() ? 0x1p-122 : 0x1p-119; // either side of the 2^-120 zero-row cut
        for (int i = 0; i < length; i++) {
            row[i] = switch (kind) {
                case 0 -> random.nextInt(3) == 0 ? -0f : 0f;
                case 1 -> Float.intBitsToFloat(random.nextInt(0x0080_0000)) * (random.nextBoolean() ? 1 : -1);
                case 2 -> (float) (random.nextGaussian() * tiny);
                case 3 -> (float) (random.nextGaussian() * 1e37);
                case 4 -> random.nextInt(8) == 0 ? Float.MAX_VALUE * (random.nextBoolean() ? 1 : -1)
                        : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-40, 38)));
                default -> (float) (random.nextGaussian() * (random.nextInt(50) == 0 ? 30 : 1));
            };
        }
        return row;
    }

    @FunctionalInterface
    private interface Encoding {
        void apply(ElementKernels kernels, float[] src, short[] dst, int from, int to);
    }

    @FunctionalInterface
    private interface Decoding {
        void apply(ElementKernels kernels, short[] src, float[] dst, int from, int to);
    }

    private static void assertSameBits(float[] inputs, Encoding encoding) {
        for (int[] range : ranges(inputs.length)) {
            short[] scalar = sentinels(new short[inputs.length]);
            short[] vector = sentinels(new short[inputs.length]);
            encoding.apply(SCALAR, inputs, scalar, range[0], range[1]);
            encoding.apply(VECTOR, inputs, vector, range[0], range[1]);
            for (int i = 0; i < inputs.length; i++) {
                if (scalar[i] != vector[i]) {
                    fail(String.format("range %s, input %08x: scalar %04x, vector %04x", Arrays.toString(range),
                            Float.floatToRawIntBits(inputs[i]), scalar[i], vector[i]));
                }
            }
        }
    }

    private static void assertSameBits(short[] inputs, Decoding decoding) {
        for (int[] range : ranges(inputs.length)) {
            float[] scalar = sentinels(new float[inputs.length]);
            float[] vector = sentinels(new float[inputs.length]);
            decoding.apply(SCALAR, inputs, scalar, range[0], range[1]);
            decoding.apply(VECTOR, inputs, vector, range[0], range[1]);
            for (int i = 0; i < inputs.length; i++) {
                if (Float.floatToRawIntBits(scalar[i]) != Float.floatToRawIntBits(vector[i])) {
                    fail(String.format("range %s, input %04x: scalar %08x, vector %08x", Arrays.toString(range),
                            inputs[i], Float.floatToRawIntBits(scalar[i]), Float.floatToRawIntBits(vector[i])));
                }
            }
        }
    }

    private static void assertSameBytes(float[] row, float inverse) {
        for (int[] range : ranges(row.length)) {
            byte[] scalar = new byte[row.length];
            byte[] vector = new byte[row.length];
            Arrays.fill(scalar, (byte) 0x5a);
            Arrays.fill(vector, (byte) 0x5a);
            SCALAR.quantize(row, scalar, range[0], range[1], inverse);
            VECTOR.quantize(row, vector, range[0], range[1], inverse);
            if (!Arrays.equals(scalar, vector)) {
                fail("range " + Arrays.toString(range) + ", row " + Arrays.toString(row) + " times " + inverse
                        + ": scalar " + Arrays.toString(scalar) + ", vector " + Arrays.toString(vector));
            }
        }
    }

    private static void assertSameFloats(byte[] quantized, float scale) {
        for (int[] range : ranges(quantized.length)) {
            float[] scalar = sentinels(new float[quantized.length]);
            float[] vector = sentinels(new float[quantized.length]);
            SCALAR.dequantize(quantized, scalar, range[0], range[1], scale);
            VECTOR.dequantize(quantized, vector, range[0], range[1], scale);
            for (int i = 0; i < quantized.length; i++) {
                assertEquals(Float.floatToRawIntBits(scalar[i]), Float.floatToRawIntBits(vector[i]),
                        "range " + Arrays.toString(range) + ", byte " + quantized[i] + ", scale " + scale);
            }
        }
    }

    /** The whole array, and ranges starting and ending off any vector boundary, down to a range of one element. */
    private static int[][] ranges(int length) {
        return new int[][] {{0, length}, {Math.min(3, length), Math.max(Math.min(3, length), length - 5)},
            {length / 2, Math.min(length, length / 2 + 37)}, {length / 3, Math.min(length, length / 3 + 1)}};
    }

    private static short[] sentinels(short[] array) {
        Arrays.fill(array, (short) 0x5a5a);
        return array;
    }

    private static float[] sentinels(float[] array) {
        Arrays.fill(array, Float.intBitsToFloat(0x5a5a_5a5a));
        return array;
    }

    /** A growable float array, fed by bit pattern or by value. */
    private static final class FloatList {
        private float[] values = new float[1 << 16];
        private int size;

        void add(float value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        void addSigned(float... magnitudes) {
            for (float magnitude : magnitudes) {
                add(magnitude);
                add(-magnitude);
            }
        }

        void addBits(int... bits) {
            for (int b : bits) {
                add(Float.intBitsToFloat(b));
            }
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
