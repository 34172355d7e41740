package io.c2cstream.schemas.kv;

/**
 * {@link ElementKernels} in plain Java: the reference that {@link VectorKernels} must match bit for bit, and the
 * code that runs without the Vector API. Java 17's C2 keeps these loops scalar: it does not vectorize float/int
 * reinterpretation, widening or narrowing.
 */
final class ScalarKernels implements ElementKernels {

    /**
     * 1.5 * 2^23: adding it to {@code |x| <= 2^22} rounds x to the nearest integer, ties to even, and leaves that
     * integer in the low bits of the sum's significand, so its low byte is the two's-complement result.
     */
    static final float ROUNDING_MAGIC = 0x1.8p23f;

    /**
     * Each byte's signed value as a float, indexed by the unsigned byte: a lookup is cheaper than converting, whose
     * x86 instruction (cvtsi2ss) merges into its target register and so chains every element to the previous one.
     */
    private static final float[] INT8_FLOATS = new float[256];

    static {
        for (int unsigned = 0; unsigned < INT8_FLOATS.length; unsigned++) {
            INT8_FLOATS[unsigned] = (byte) unsigned;
        }
    }

    @Override
    public void toF16(float[] src, short[] dst, int from, int to) {
        for (int i = from; i < to; i++) {
            dst[i] = HalfFloats.toF16(src[i]);
        }
    }

    /** One lookup per element in a table of every f16's float: less than half the cost of the bit arithmetic. */
    @Override
    public void fromF16(short[] src, float[] dst, int from, int to) {
        float[] table = F16Table.FLOATS;
        for (int i = from; i < to; i++) {
            dst[i] = table[src[i] & 0xffff];
        }
    }

    @Override
    public void toBf16(float[] src, short[] dst, int from, int to) {
        for (int i = from; i < to; i++) {
            dst[i] = HalfFloats.toBf16(src[i]);
        }
    }

    @Override
    public void fromBf16(short[] src, float[] dst, int from, int to) {
        for (int i = from; i < to; i++) {
            dst[i] = HalfFloats.fromBf16(src[i]);
        }
    }

    /** On the bit patterns: C2 vectorizes an integer max over them, which it does not for a float max. */
    @Override
    public int absMaxBits(float[] src, int from, int to) {
        int absMaxBits = 0;
        for (int i = from; i < to; i++) {
            absMaxBits = Math.max(absMaxBits, Float.floatToRawIntBits(src[i]) & 0x7fff_ffff);
        }
        return absMaxBits;
    }

    /** The byte from the bits of the rounded sum: skips Java's float to int conversion, checked for NaN and range. */
    @Override
    public void quantize(float[] src, byte[] dst, int from, int to, float inverse) {
        for (int i = from; i < to; i++) {
            dst[i] = (byte) Float.floatToRawIntBits(src[i] * inverse + ROUNDING_MAGIC);
        }
    }

    @Override
    public void dequantize(byte[] src, float[] dst, int from, int to, float scale) {
        for (int i = from; i < to; i++) {
            dst[i] = INT8_FLOATS[src[i] & 0xff] * scale;
        }
    }

    /** Every f16's float (256 KiB), in a holder class so that it is built on the first F16 decode only. */
    private static final class F16Table {
        static final float[] FLOATS = new float[1 << 16];

        static {
            for (int bits = 0; bits < FLOATS.length; bits++) {
                FLOATS[bits] = HalfFloats.fromF16((short) bits);
            }
        }
    }
}
