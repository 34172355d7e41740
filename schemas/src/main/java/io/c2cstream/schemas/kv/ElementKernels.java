package io.c2cstream.schemas.kv;

/**
 * The per-element conversions of the DENSE payload, each over the range {@code [from, to)} of staging arrays (the
 * same indices in source and destination). {@link ScalarKernels} is the reference and the fallback;
 * {@link VectorKernels} computes bit for bit the same results in SIMD lanes.
 */
interface ElementKernels {

    /** f32 to f16, each element as {@link HalfFloats#toF16(float)}. */
    void toF16(float[] src, short[] dst, int from, int to);

    /** f16 to f32, each element as {@link HalfFloats#fromF16(short)}. */
    void fromF16(short[] src, float[] dst, int from, int to);

    /** f32 to bf16, each element as {@link HalfFloats#toBf16(float)}. */
    void toBf16(float[] src, short[] dst, int from, int to);

    /** bf16 to f32, each element as {@link HalfFloats#fromBf16(short)}. */
    void fromBf16(short[] src, float[] dst, int from, int to);

    /**
     * The largest magnitude as float bits, {@code max(floatToRawIntBits(x) & 0x7fffffff)}, or 0 for an empty range:
     * at least {@code 0x7f800000} when the range holds NaN or infinity.
     */
    int absMaxBits(float[] src, int from, int to);

    /**
     * {@code x * inverse} rounded to the nearest integer, ties to even, as a byte; valid where that product's
     * magnitude is at most 127.
     */
    void quantize(float[] src, byte[] dst, int from, int to, float inverse);

    /** Each signed byte times {@code scale}. */
    void dequantize(byte[] src, float[] dst, int from, int to, float scale);
}
