package io.c2cstream.schemas.kv;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.I2B;
import static jdk.incubator.vector.VectorOperators.I2S;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.S2I;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementKernels} in SIMD lanes through the incubating Vector API, bit for bit the {@link ScalarKernels}
 * results: the same integer and float operations, lane by lane, each branch of the scalar code computed for every
 * lane and the right one selected (by a blend, by min and max, or by a mask of all-ones lanes). The tail of each
 * range, shorter than a vector, goes to {@link ScalarKernels}. Each kernel has its own loop rather than one loop
 * shared over a lane function: such a function would be called megamorphically from the shared loop, and the Vector
 * API compiles to SIMD instructions only where every call inlines.
 *
 * <p>Links against {@code jdk.incubator.vector}: load this class only where that module is in the boot layer, or it
 * throws {@link NoClassDefFoundError} ({@link DenseElements} checks).
 */
final class VectorKernels implements ElementKernels, BufferDecoding {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    /** The same lane count at every width, so that conversions map lane i to lane i. */
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> SHORTS = narrower(short.class, Short.SIZE);
    private static final VectorSpecies<Byte> BYTES = narrower(byte.class, Byte.SIZE);
    private static final int LANES = FLOATS.length();

    private static final ScalarKernels TAILS = new ScalarKernels();
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final int SUBNORMAL_MAGIC_BITS = Float.floatToRawIntBits(HalfFloats.SUBNORMAL_MAGIC);

    /**
     * Whether the CPU's preferred vectors are wide enough: at least 8 float lanes (AVX2, AVX-512), else the 8-bit
     * lanes of the INT8 kernels have no vector shape. Narrower hardware keeps the scalar code.
     */
    static boolean suitsThisCpu() {
        return FloatVector.SPECIES_PREFERRED.length() >= 8;
    }

    /**
     * The scalar code's three branches without selects, which cost more here than arithmetic: below 2^-14 the normal
     * formula (shifted arithmetically) never exceeds the subnormal one, whose input is capped at 2^-14 so that it
     * gives at most 0x400 above; the normal one then rises monotonically through 0x7c00 (from the overflow midpoint
     * 65520 up), where min caps it. {@code ElementKernelsTest} checks every float on request.
     */
    @Override
    public void toF16(float[] src, short[] dst, int from, int to) {
        int i = from;
        for (int bound = from + FLOATS.loopBound(to - from); i < bound; i += LANES) {
            IntVector bits = FloatVector.fromArray(FLOATS, src, i).reinterpretAsInts();
            IntVector abs = bits.and(0x7fff_ffff);
            IntVector normal = abs.add(((15 - 127) << 23) + 0xfff).add(abs.lanewise(LSHR, 13).and(1))
                    .lanewise(ASHR, 13);
            IntVector subnormal = abs.min(HalfFloats.F16_MIN_NORMAL_BITS).reinterpretAsFloats()
                    .add(HalfFloats.SUBNORMAL_MAGIC).reinterpretAsInts().sub(SUBNORMAL_MAGIC_BITS);
            // f16 NaN is infinity plus 0x200; (0x7f800000 - abs) >>> 22 has bit 9 set exactly when abs is NaN
            IntVector quietNaN = IntVector.broadcast(INTS, 0x7f80_0000).sub(abs).lanewise(LSHR, 22).and(0x200);
            IntVector half = normal.max(subnormal).min(0x7c00).or(quietNaN)
                    .or(bits.lanewise(LSHR, 16).and(0x8000));
            ((ShortVector) half.convertShape(I2S, SHORTS, 0)).intoArray(dst, i);
        }
        TAILS.toF16(src, dst, i, to);
    }

    /**
     * One multiply for every finite half: its exponent and mantissa moved into a float's places read as
     * {@code value · 2^-112}, exactly (Java floats keep subnormals), so {@code · 2^112} is the value, subnormal
     * halves included. Infinity and NaN (exponent 31) get the exponent all ones, their mantissa kept: the scalar
     * code's bits, about half the operations of its branches computed lane by lane.
     */
    @Override
    public void fromF16(short[] src, float[] dst, int from, int to) {
        int i = from;
        for (int bound = from + FLOATS.loopBound(to - from); i < bound; i += LANES) {
            fromF16(ShortVector.fromArray(SHORTS, src, i)).intoArray(dst, i);
        }
        TAILS.fromF16(src, dst, i, to);
    }

    @Override
    public void fromF16(ByteBuffer segment, int segmentOffset, ByteBuffer tensor, int tensorOffset, int n) {
        int i = 0;
        for (int bound = FLOATS.loopBound(n); i < bound; i += LANES) {
            fromF16(ShortVector.fromByteBuffer(SHORTS, segment, segmentOffset + i * Short.BYTES, LITTLE_ENDIAN))
                    .intoByteBuffer(tensor, tensorOffset + i * Float.BYTES, NATIVE);
        }
        for (; i < n; i++) {
            short half = segment.getShort(segmentOffset + i * Short.BYTES);
            tensor.putFloat(tensorOffset + i * Float.BYTES, HalfFloats.fromF16(half));
        }
    }

    private static FloatVector fromF16(ShortVector halves) {
        // sign-extended, which the masks below undo
        IntVector bits = (IntVector) halves.convertShape(S2I, INTS, 0);
        IntVector exponentAndMantissa = bits.and(0x7fff).lanewise(LSHL, 13);
        // exponent 31 carries into bit 28 when one more exponent step is added: all ones there, else zero
        IntVector infinityOrNaN = exponentAndMantissa.add(0x0080_0000).lanewise(LSHL, 3).lanewise(ASHR, 31);
        IntVector magnitude = exponentAndMantissa.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts()
                .or(infinityOrNaN.and(0x7f80_0000));
        return bits.and(0x8000).lanewise(LSHL, 16).or(magnitude).reinterpretAsFloats();
    }

    @Override
    public void toBf16(float[] src, short[] dst, int from, int to) {
        int i = from;
        for (int bound = from + FLOATS.loopBound(to - from); i < bound; i += LANES) {
            IntVector bits = FloatVector.fromArray(FLOATS, src, i).reinterpretAsInts();
            IntVector upper = bits.lanewise(LSHR, 16);
            IntVector rounded = bits.add(0x7fff).add(upper.and(1)).lanewise(LSHR, 16);
            VectorMask<Integer> nan = bits.and(0x7fff_ffff).compare(GT, 0x7f80_0000);
            ((ShortVector) rounded.blend(upper.or(0x40), nan).convertShape(I2S, SHORTS, 0)).intoArray(dst, i);
        }
        TAILS.toBf16(src, dst, i, to);
    }

    @Override
    public void fromBf16(short[] src, float[] dst, int from, int to) {
        int i = from;
        for (int bound = from + FLOATS.loopBound(to - from); i < bound; i += LANES) {
            fromBf16(ShortVector.fromArray(SHORTS, src, i)).intoArray(dst, i);
        }
        TAILS.fromBf16(src, dst, i, to);
    }

    @Override
    public void fromBf16(ByteBuffer segment, int segmentOffset, ByteBuffer tensor, int tensorOffset, int n) {
        int i = 0;
        for (int bound = FLOATS.loopBound(n); i < bound; i += LANES) {
            fromBf16(ShortVector.fromByteBuffer(SHORTS, segment, segmentOffset + i * Short.BYTES, LITTLE_ENDIAN))
                    .intoByteBuffer(tensor, tensorOffset + i * Float.BYTES, NATIVE);
        }
        for (; i < n; i++) {
            short half = segment.getShort(segmentOffset + i * Short.BYTES);
            tensor.putFloat(tensorOffset + i * Float.BYTES, HalfFloats.fromBf16(half));
        }
    }

    private static FloatVector fromBf16(ShortVector halves) {
        return ((IntVector) halves.convertShape(S2I, INTS, 0)).lanewise(LSHL, 16).reinterpretAsFloats();
    }

    @Override
    public int absMaxBits(float[] src, int from, int to) {
        int i = from;
        IntVector max = IntVector.zero(INTS);
        for (int bound = from + FLOATS.loopBound(to - from); i < bound; i += LANES) {
            max = max.max(FloatVector.fromArray(FLOATS, src, i).reinterpretAsInts().and(0x7fff_ffff));
        }
        return Math.max(max.reduceLanes(MAX), TAILS.absMaxBits(src, i, to));
    }

    @Override
    public void quantize(float[] src, byte[] dst, int from, int to, float inverse) {
        int i = from;
        for (int bound = from + FLOATS.loopBound(to - from); i < bound; i += LANES) {
            // two roundings, as in the scalar code: Java never fuses the multiply and the add
            IntVector rounded = FloatVector.fromArray(FLOATS, src, i).mul(inverse).add(ScalarKernels.ROUNDING_MAGIC)
                    .reinterpretAsInts();
            ((ByteVector) rounded.convertShape(I2B, BYTES, 0)).intoArray(dst, i);
        }
        TAILS.quantize(src, dst, i, to, inverse);
    }

    @Override
    public void dequantize(byte[] src, float[] dst, int from, int to, float scale) {
        int i = from;
        for (int bound = from + FLOATS.loopBound(to - from); i < bound; i += LANES) {
            dequantize(ByteVector.fromArray(BYTES, src, i), scale).intoArray(dst, i);
        }
        TAILS.dequantize(src, dst, i, to, scale);
    }

    @Override
    public void dequantize(ByteBuffer segment, int segmentOffset, ByteBuffer tensor, int tensorOffset, int n,
                           float scale) {
        int i = 0;
        for (int bound = FLOATS.loopBound(n); i < bound; i += LANES) {
            dequantize(ByteVector.fromByteBuffer(BYTES, segment, segmentOffset + i, LITTLE_ENDIAN), scale)
                    .intoByteBuffer(tensor, tensorOffset + i * Float.BYTES, NATIVE);
        }
        for (; i < n; i++) {
            tensor.putFloat(tensorOffset + i * Float.BYTES, segment.get(segmentOffset + i) * scale);
        }
    }

    private static FloatVector dequantize(ByteVector quantized, float scale) {
        return ((FloatVector) quantized.convertShape(B2F, FLOATS, 0)).mul(scale);
    }

    private static <E> VectorSpecies<E> narrower(Class<E> lane, int laneBits) {
        // the narrowest shape is 64 bits: fewer than 8 float lanes leave bytes without one (see suitsThisCpu)
        return VectorSpecies.of(lane, VectorShape.forBitSize(Math.max(64, FLOATS.length() * laneBits)));
    }
}
