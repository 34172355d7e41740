package io.c2cstream.schemas.kv;

/**
 * Conversions between {@code float} and the 16-bit formats IEEE binary16 (f16) and bfloat16 (bf16), rounding to
 * nearest, ties to even, as PyTorch does. Java 17 has no {@code Float.floatToFloat16}; these are branch-light so
 * that the segment codec's loops stay fast.
 */
public final class HalfFloats {

    /** 2^16 as float bits: the smallest magnitude that rounds to f16 infinity is below it, handled by rounding. */
    static final int F16_OVERFLOW_BITS = (127 + 16) << 23;
    /** 2^-14 as float bits: below it, the f16 result is subnormal or zero. */
    static final int F16_MIN_NORMAL_BITS = (127 - 14) << 23;
    /** 0.5f: adding it aligns a tiny float's significand so that the FPU rounds it to an f16 subnormal. */
    static final float SUBNORMAL_MAGIC = Float.intBitsToFloat((127 - 15 + 23 - 10 + 1) << 23);
    /** 2^-14 as the float from which f16 subnormals are rebuilt. */
    static final float F16_SUBNORMAL_BASE = Float.intBitsToFloat(113 << 23);

    private HalfFloats() {
    }

    /** Rounds a float to the nearest f16 (ties to even); overflow gives infinity, NaN stays a (quiet) NaN. */
    public static short toF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fff_ffff;
        int half;
        if (abs >= F16_OVERFLOW_BITS) {
            half = abs > 0x7f80_0000 ? 0x7e00 : 0x7c00;
        } else if (abs < F16_MIN_NORMAL_BITS) {
            half = Float.floatToRawIntBits(Float.intBitsToFloat(abs) + SUBNORMAL_MAGIC)
                    - Float.floatToRawIntBits(SUBNORMAL_MAGIC);
        } else {
            int mantissaOdd = (abs >>> 13) & 1;
            // rebias the exponent and add half an f16 ulp minus one, plus the odd bit: round half to even
            half = (abs + ((15 - 127) << 23) + 0xfff + mantissaOdd) >>> 13;
        }
        return (short) (sign | half);
    }

    /** Widens an f16 to the float of exactly the same value. */
    public static float fromF16(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponentAndMantissa = (bits & 0x7fff) << 13;
        int exponent = exponentAndMantissa & 0x0f80_0000;
        int result;
        if (exponent == 0x0f80_0000) {
            result = exponentAndMantissa + ((255 - 31) << 23);
        } else if (exponent == 0) {
            result = Float.floatToRawIntBits(Float.intBitsToFloat(exponentAndMantissa + (113 << 23))
                    - F16_SUBNORMAL_BASE);
        } else {
            result = exponentAndMantissa + ((127 - 15) << 23);
        }
        return Float.intBitsToFloat(sign | result);
    }

    /** Rounds a float to the nearest bf16 (ties to even); NaN stays a (quiet) NaN. */
    public static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fff_ffff) > 0x7f80_0000) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    /** Widens a bf16 to the float of exactly the same value. */
    public static float fromBf16(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xffff) << 16);
    }
}
