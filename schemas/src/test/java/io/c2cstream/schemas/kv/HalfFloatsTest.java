package io.c2cstream.schemas.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    @Test
    void everyF16WidensAndNarrowsBackToItself() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            float wide = HalfFloats.fromF16((short) bits);
            if (Float.isNaN(wide)) {
                assertTrue(Float.isNaN(HalfFloats.fromF16(HalfFloats.toF16(wide))), "NaN stays NaN");
            } else {
                assertEquals(bits, HalfFloats.toF16(wide) & 0xffff, Integer.toHexString(bits));
            }
        }
    }

    @Test
    void f16RoundsToNearestEvenAtKnownPoints() {
        assertEquals(0x3c00, HalfFloats.toF16(1f) & 0xffff);
        assertEquals(0x7bff, HalfFloats.toF16(65504f) & 0xffff, "largest finite");
        assertEquals(0x7bff, HalfFloats.toF16(65519.99f) & 0xffff, "just below the overflow midpoint");
        assertEquals(0x7c00, HalfFloats.toF16(65520f) & 0xffff, "overflow midpoint rounds to infinity");
        assertEquals(0x0001, HalfFloats.toF16(0x1p-24f) & 0xffff, "smallest subnormal");
        assertEquals(0x0000, HalfFloats.toF16(0x1p-25f) & 0xffff, "half the smallest subnormal ties to even 0");
        assertEquals(0x0002, HalfFloats.toF16(0x1.8p-24f) & 0xffff, "1.5 subnormal ulps tie to even 2");
        assertEquals(0x0002, HalfFloats.toF16(0x1.4p-23f) & 0xffff, "2.5 subnormal ulps tie to even 2");
        assertEquals(0x3c00, HalfFloats.toF16(1f + 0x1p-11f) & 0xffff, "tie between 1 and 1+2^-10 goes to 1");
        assertEquals(0x3c02, HalfFloats.toF16(1f + 0x3p-11f) & 0xffff, "tie goes up to the even neighbour");
        assertEquals(0x8000, HalfFloats.toF16(-0f) & 0xffff);
        assertEquals(0xfc00, HalfFloats.toF16(Float.NEGATIVE_INFINITY) & 0xffff);
    }

    @Test
    void f16OfRandomFloatsIsTheNearestHalfTiesToEven() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            float value = Float.intBitsToFloat(random.nextInt());
            if (!Float.isFinite(value) || Math.abs(value) >= 65504f) {
                continue;
            }
            int half = HalfFloats.toF16(value) & 0xffff;
            assertNearestTiesToEven(value, half, HalfFloats.fromF16((short) half),
                    HalfFloats.fromF16((short) (half - 1)), HalfFloats.fromF16((short) (half + 1)));
        }
    }

    @Test
    void bf16RoundsToNearestEven() {
        assertEquals(0x3f80, HalfFloats.toBf16(1f) & 0xffff);
        assertEquals(0x3f80, HalfFloats.toBf16(1f + 0x1p-8f) & 0xffff, "tie goes down to even");
        assertEquals(0x3f82, HalfFloats.toBf16(1f + 0x3p-8f) & 0xffff, "tie goes up to even");
        assertEquals(0x3f81, HalfFloats.toBf16(1f + 0x1.2p-8f) & 0xffff, "above the tie rounds up");
        assertTrue(Float.isNaN(HalfFloats.fromBf16(HalfFloats.toBf16(Float.NaN))));
        assertTrue(Float.isNaN(HalfFloats.fromBf16(HalfFloats.toBf16(Float.intBitsToFloat(0x7f80_0001)))),
                "a NaN whose payload sits in the dropped bits stays NaN");
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < 200_000; i++) {
            float value = Float.intBitsToFloat(random.nextInt());
            if (!Float.isFinite(value) || Math.abs(value) >= 0x1.fep127f) {
                continue;
            }
            int bf = HalfFloats.toBf16(value) & 0xffff;
            assertNearestTiesToEven(value, bf, HalfFloats.fromBf16((short) bf),
                    HalfFloats.fromBf16((short) (bf - 1)), HalfFloats.fromBf16((short) (bf + 1)));
        }
    }

    private static void assertNearestTiesToEven(float value, int bits, float chosen, float below, float above) {
        double error = Math.abs((double) value - chosen);
        String what = value + " -> " + Integer.toHexString(bits);
        for (float neighbour : new float[] {below, above}) {
            if (Float.isFinite(neighbour) && Math.signum(neighbour) * Math.signum(chosen) >= 0) {
                double other = Math.abs((double) value - neighbour);
                assertTrue(error < other || (error == other && (bits & 1) == 0), what);
            }
        }
    }
}
