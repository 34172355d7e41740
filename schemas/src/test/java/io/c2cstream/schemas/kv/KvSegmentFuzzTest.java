package io.c2cstream.schemas.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Random shapes, dtypes and values round-trip as each dtype promises; random corruption of a valid segment (bit
 * flips, overwritten bytes, truncation, extension, spliced garbage) is always rejected with a
 * {@link KvSegmentException}: never accepted, never another exception. Fixed seeds: a failure names its iteration.
 */
class KvSegmentFuzzTest {

    private static final KvDtype[] DTYPES = KvDtype.values();

    @Test
    void randomSlicesRoundTripForEveryDtype() {
        SplittableRandom random = new SplittableRandom(20_260_101);
        for (int i = 0; i < 400; i++) {
            KvDtype dtype = DTYPES[random.nextInt(DTYPES.length)];
            KvSlice slice = randomSlice(random, dtype != KvDtype.INT8);
            KvSegmentId id = randomId(random);
            KvSegmentCodec codec = KvSegmentCodec.builder().dtype(dtype).build();
            try {
                Slices.assertRoundTrip(dtype, slice, codec.decode(codec.encode(id, slice)));
            } catch (AssertionError e) {
                throw new AssertionError("iteration " + i + ", " + dtype + ", " + slice, e);
            }
        }
    }

    @Test
    void randomCorruptionIsAlwaysRejectedWithANamedError() {
        SplittableRandom random = new SplittableRandom(7_777);
        Map<KvSegmentError, Integer> seen = new EnumMap<>(KvSegmentError.class);
        for (int i = 0; i < 5_000; i++) {
            KvDtype dtype = DTYPES[random.nextInt(DTYPES.length)];
            KvSlice slice = randomSlice(random, false);
            ByteBuffer valid = KvSegmentCodec.builder().dtype(dtype).build().encode(randomId(random), slice);
            ByteBuffer corrupt = corrupt(random, valid);
            KvSegmentCodec reader = KvSegmentCodec.builder().build();
            int iteration = i;
            KvSegmentException e = assertThrows(KvSegmentException.class, () -> reader.decode(corrupt),
                    () -> "iteration " + iteration + ": corrupted " + dtype + " segment was accepted");
            assertEquals(e.error(), reader(e, corrupt));
            seen.merge(e.error(), 1, Integer::sum);
        }
        // the mutations reach every check a damaged (not re-signed) segment can fail
        for (KvSegmentError expected : new KvSegmentError[] {KvSegmentError.CHECKSUM_MISMATCH,
                KvSegmentError.LENGTH_MISMATCH, KvSegmentError.BAD_MAGIC, KvSegmentError.UNSUPPORTED_VERSION,
                KvSegmentError.TRUNCATED}) {
            if (!seen.containsKey(expected)) {
                fail(expected + " never seen: " + seen);
            }
        }
    }

    /** readHeader must reject exactly as decode does. */
    private static KvSegmentError reader(KvSegmentException fromDecode, ByteBuffer corrupt) {
        try {
            KvSegmentCodec.builder().build().readHeader(corrupt);
        } catch (KvSegmentException e) {
            return e.error();
        }
        throw new AssertionError("readHeader accepted what decode rejected: " + fromDecode.getMessage());
    }

    private static ByteBuffer corrupt(SplittableRandom random, ByteBuffer valid) {
        int length = valid.remaining();
        byte[] bytes = new byte[length];
        valid.duplicate().get(bytes);
        switch (random.nextInt(6)) {
            case 0 -> { // one bit
                int at = random.nextInt(length);
                bytes[at] ^= (byte) (1 << random.nextInt(8));
            }
            case 1 -> { // a few bytes anywhere, each surely changed
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    bytes[random.nextInt(length)] ^= (byte) random.nextInt(1, 256);
                }
            }
            case 2 -> { // truncate
                bytes = java.util.Arrays.copyOf(bytes, random.nextInt(length));
            }
            case 3 -> { // extend with garbage
                int extra = 1 + random.nextInt(16);
                bytes = java.util.Arrays.copyOf(bytes, length + extra);
                for (int j = length; j < bytes.length; j++) {
                    bytes[j] = (byte) random.nextInt(256);
                }
            }
            case 4 -> { // header byte (the fields readers trust most)
                int at = random.nextInt(Math.min(length, 64));
                bytes[at] ^= (byte) random.nextInt(1, 256);
            }
            default -> { // a burst of garbage
                int at = random.nextInt(length);
                int burst = Math.min(length - at, 1 + random.nextInt(64));
                byte[] before = java.util.Arrays.copyOfRange(bytes, at, at + burst);
                do {
                    for (int j = at; j < at + burst; j++) {
                        bytes[j] = (byte) random.nextInt(256);
                    }
                } while (java.util.Arrays.equals(before, java.util.Arrays.copyOfRange(bytes, at, at + burst)));
            }
        }
        ByteBuffer buffer = random.nextBoolean() ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(
                bytes.length);
        return buffer.put(bytes).flip();
    }

    private static KvSlice randomSlice(SplittableRandom random, boolean specialValues) {
        return Slices.random(random, random.nextInt(40), 1 + random.nextInt(3), random.nextInt(4096),
                1 + random.nextInt(24), 1 + random.nextInt(8), 1 + random.nextInt(130), specialValues);
    }

    private static KvSegmentId randomId(SplittableRandom random) {
        int count = 1 + random.nextInt(10);
        String requestId = random.nextBoolean() ? "r-" + random.nextLong() : "請求-" + random.nextInt(1000);
        return new KvSegmentId(requestId, random.nextBoolean() ? "" : "Qwen/Qwen3-0.6B", random.nextInt(count),
                count);
    }
}
