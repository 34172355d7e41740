package io.c2cstream.schemas.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import io.c2cstream.schemas.avro.KvSegment;
import io.c2cstream.schemas.avro.SegmentCodec;
import io.c2cstream.schemas.avro.SegmentDtype;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KvSegmentCodecTest {

    private static final KvSegmentId ID = new KvSegmentId("req-42", "Qwen/Qwen2.5-0.5B-Instruct", 1, 6);

    /** Two layers of Qwen2.5-0.5B geometry (2 KV heads x 64), tokens 16..47. */
    private final KvSlice slice = Slices.random(new SplittableRandom(1), 4, 2, 16, 32, 2, 64, false);

    private static KvSegmentCodec codec(KvDtype dtype) {
        return KvSegmentCodec.builder().dtype(dtype).build();
    }

    @ParameterizedTest
    @EnumSource(KvDtype.class)
    void sliceRoundTripsExactlyForFloatsAndWithinHalfAStepForInt8(KvDtype dtype) {
        KvSegmentCodec codec = codec(dtype);

        KvSlice decoded = codec.decode(codec.encode(ID, slice));

        Slices.assertRoundTrip(dtype, slice, decoded);
    }

    @ParameterizedTest
    @EnumSource(KvDtype.class)
    void headerDescribesTheSegmentAsTheAvroKvSegmentRecord(KvDtype dtype) {
        ByteBuffer segment = codec(dtype).encode(ID, slice);

        KvSegment header = codec(KvDtype.F32).readHeader(segment);

        assertEquals(1, header.getFormatVersion());
        assertEquals("req-42", header.getRequestId());
        assertEquals("Qwen/Qwen2.5-0.5B-Instruct", header.getModelId());
        assertEquals(4, header.getLayerStart());
        assertEquals(2, header.getLayerCount());
        assertEquals(16, header.getTokenStart());
        assertEquals(32, header.getTokenCount());
        assertEquals(2, header.getKvHeads());
        assertEquals(64, header.getHeadDim());
        assertEquals(SegmentDtype.valueOf(dtype.name()), header.getDtype());
        assertEquals(SegmentCodec.DENSE, header.getCodec());
        assertEquals(1, header.getSegmentIndex());
        assertEquals(6, header.getSegmentCount());
        assertEquals(2 * 2 * 2 * 32 * 64 * dtype.bytesPerElement(), header.getPayloadLength());
        assertEquals(0, header.getPayloadOffset() % 8, "payload is 8-byte aligned");
        assertEquals(segment.remaining(), header.getPayloadOffset() + header.getPayloadLength() + 4);
        assertEquals(Integer.toUnsignedLong(segment.getInt(segment.remaining() - 4)), header.getChecksum());
        if (dtype == KvDtype.INT8) {
            assertEquals(2 * 2 * 2 * 32, header.getQuantization().getCount());
            assertEquals(header.getPayloadOffset() - 4 * 2 * 2 * 2 * 32, header.getQuantization().getOffset());
        } else {
            assertNull(header.getQuantization());
        }
    }

    @Test
    void avroDtypeSymbolsAreTheCodecDtypes() {
        assertEquals(KvDtype.values().length, SegmentDtype.values().length);
        for (KvDtype dtype : KvDtype.values()) {
            assertEquals(dtype.name(), SegmentDtype.valueOf(dtype.name()).name());
        }
    }

    @Test
    void layoutIsTheDocumentedByteTable() {
        ByteBuffer segment = codec(KvDtype.BF16).encode(ID, slice);

        byte[] magic = new byte[4];
        segment.get(0, magic);
        assertArrayEquals("C2KV".getBytes(StandardCharsets.US_ASCII), magic);
        assertEquals(1, segment.get(4), "format version");
        assertEquals(1, segment.get(5), "codec DENSE");
        assertEquals(3, segment.get(6), "dtype BF16");
        assertEquals(0, segment.get(7), "flags");
        assertEquals(segment.remaining(), segment.getInt(8), "length");
        int[] fields = {4, 2, 16, 32, 2, 64, 1, 6};
        for (int i = 0; i < fields.length; i++) {
            assertEquals(fields[i], segment.getInt(12 + 4 * i), "field at offset " + (12 + 4 * i));
        }
        assertEquals(6, segment.getShort(44), "request id bytes");
        assertEquals(26, segment.getShort(46), "model id bytes");
        byte[] requestId = new byte[6];
        segment.get(48, requestId);
        assertEquals("req-42", new String(requestId, StandardCharsets.UTF_8));
        int payload = 80; // 48 + 6 + 26 = 80, already aligned
        float first = slice.keyFloats(0).get(0);
        assertEquals(HalfFloats.toBf16(first), segment.getShort(payload), "first key element of the first layer");
        CRC32C crc = new CRC32C();
        crc.update(segment.duplicate().limit(segment.remaining() - 4));
        assertEquals((int) crc.getValue(), segment.getInt(segment.remaining() - 4), "CRC32C trailer");
    }

    @Test
    void bytesPerTokenPerLayerMatchTheMethodGeometries() {
        // Qwen2.5-0.5B: 2 KV heads x 64 -> 256 elements per token per layer (K and V)
        assertEquals(1024.0, KvDtype.F32.bytesPerTokenPerLayer(2, 64));
        assertEquals(512.0, KvDtype.BF16.bytesPerTokenPerLayer(2, 64));
        assertEquals(256.0 + 16.0, KvDtype.INT8.bytesPerTokenPerLayer(2, 64), "plus one f32 scale per head, K and V");
        // Qwen3-0.6B: 8 x 128 -> 2048 elements
        assertEquals(4096.0, KvDtype.F16.bytesPerTokenPerLayer(8, 128));
    }

    @Test
    void encodeIntoASharedBufferAdvancesItsPosition() {
        KvSegmentCodec codec = codec(KvDtype.F16);
        int size = codec.encodedSize(ID, slice);
        ByteBuffer shared = ByteBuffer.allocateDirect(2 * size + 3);
        shared.position(3);

        assertEquals(size, codec.encode(ID, slice, shared));
        assertEquals(size, codec.encode(ID, slice, shared));

        assertEquals(3 + 2 * size, shared.position());
        Slices.assertRoundTrip(KvDtype.F16, slice, codec.decode(shared.duplicate().position(3 + size)));
    }

    @Test
    void decodeIntoReusesATargetOfTheSameShape() {
        KvSegmentCodec codec = codec(KvDtype.INT8);
        KvSlice target = KvSlice.allocate(4, 2, 16, 32, 2, 64);

        KvSegment header = codec.decodeInto(codec.encode(ID, slice), target);

        assertEquals("req-42", header.getRequestId());
        Slices.assertRoundTrip(KvDtype.INT8, slice, target);
    }

    @Test
    void decodeIntoAnotherShapeIsShapeMismatch() {
        ByteBuffer segment = codec(KvDtype.F32).encode(ID, slice);
        KvSlice otherTokens = KvSlice.allocate(4, 2, 48, 32, 2, 64);

        assertError(KvSegmentError.SHAPE_MISMATCH, () -> codec(KvDtype.F32).decodeInto(segment, otherTokens));
    }

    @Test
    void int8RowOfZerosStaysZero() {
        KvSlice zeros = KvSlice.allocate(0, 1, 0, 3, 2, 8);
        KvSegmentCodec codec = codec(KvDtype.INT8);

        KvSlice decoded = codec.decode(codec.encode(ID, zeros));

        Slices.assertRoundTrip(KvDtype.F32, zeros, decoded);
    }

    @Test
    void int8RefusesNaNNamingWhere() {
        KvSlice slice = KvSlice.allocate(3, 1, 0, 4, 2, 8);
        slice.valueFloats(0).put(1 * 4 * 8 + 2 * 8 + 5, Float.NaN);

        KvSegmentException e = assertError(KvSegmentError.NON_FINITE_VALUE,
                () -> codec(KvDtype.INT8).encode(ID, slice));

        assertTrue(e.getMessage().contains("values of layer 3 head 1 token 2"), e.getMessage());
    }

    @Test
    void encodeIntoATooSmallBufferIsBufferTooSmall() {
        ByteBuffer small = ByteBuffer.allocate(100);

        assertError(KvSegmentError.BUFFER_TOO_SMALL, () -> codec(KvDtype.F32).encode(ID, slice, small));
        assertEquals(0, small.position());
    }

    @Test
    void fewerBytesThanAHeaderIsTruncated() {
        assertError(KvSegmentError.TRUNCATED, () -> codec(KvDtype.F32).decode(ByteBuffer.allocate(51)));
    }

    @Test
    void bytesThatAreNotASegmentAreBadMagic() {
        ByteBuffer segment = codec(KvDtype.F32).encode(ID, slice);
        segment.put(0, (byte) 'X');

        assertError(KvSegmentError.BAD_MAGIC, () -> codec(KvDtype.F32).decode(segment));
    }

    @Test
    void newerFormatVersionIsUnsupportedVersion() {
        ByteBuffer segment = codec(KvDtype.F32).encode(ID, slice);
        segment.put(4, (byte) 2);

        KvSegmentException e = assertError(KvSegmentError.UNSUPPORTED_VERSION,
                () -> codec(KvDtype.F32).decode(segment));

        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }

    @Test
    void truncatedOrExtendedSegmentIsLengthMismatch() {
        ByteBuffer segment = codec(KvDtype.F32).encode(ID, slice);
        ByteBuffer extended = ByteBuffer.allocate(segment.remaining() + 1).put(segment.duplicate()).rewind();

        assertError(KvSegmentError.LENGTH_MISMATCH,
                () -> codec(KvDtype.F32).decode(segment.duplicate().limit(segment.limit() - 1)));
        assertError(KvSegmentError.LENGTH_MISMATCH, () -> codec(KvDtype.F32).decode(extended));
    }

    @Test
    void flippedPayloadBitIsChecksumMismatchAndLeavesTheTargetUntouched() {
        ByteBuffer segment = codec(KvDtype.F32).encode(ID, slice);
        segment.put(200, (byte) (segment.get(200) ^ 0x10));
        KvSlice target = KvSlice.allocate(4, 2, 16, 32, 2, 64);

        assertError(KvSegmentError.CHECKSUM_MISMATCH, () -> codec(KvDtype.F32).decodeInto(segment, target));

        Slices.assertRoundTrip(KvDtype.F32, KvSlice.allocate(4, 2, 16, 32, 2, 64), target);
    }

    @Test
    void unknownCodecIdWithAValidChecksumIsUnknownCodec() {
        assertError(KvSegmentError.UNKNOWN_CODEC, () -> decodeRewritten(s -> s.put(5, (byte) 9)));
    }

    @Test
    void unknownDtypeIdWithAValidChecksumIsUnknownDtype() {
        assertError(KvSegmentError.UNKNOWN_DTYPE, () -> decodeRewritten(s -> s.put(6, (byte) 0)));
    }

    @Test
    void outOfRangeFieldsWithAValidChecksumAreInvalidHeader() {
        assertError(KvSegmentError.INVALID_HEADER, () -> decodeRewritten(s -> s.put(7, (byte) 1)));
        assertError(KvSegmentError.INVALID_HEADER, () -> decodeRewritten(s -> s.putInt(12, -1)));
        assertError(KvSegmentError.INVALID_HEADER, () -> decodeRewritten(s -> s.putInt(36, 6)));
        assertError(KvSegmentError.INVALID_HEADER, () -> decodeRewritten(s -> s.put(48, (byte) 0xff)));
    }

    @Test
    void shapeThatDisagreesWithTheLengthIsLengthMismatch() {
        assertError(KvSegmentError.LENGTH_MISMATCH, () -> decodeRewritten(s -> s.putInt(24, 31)));
        assertError(KvSegmentError.LENGTH_MISMATCH, () -> decodeRewritten(s -> s.putInt(32, Integer.MAX_VALUE)));
    }

    @Test
    void negativeInt8ScaleWithAValidChecksumIsInvalidScale() {
        ByteBuffer segment = codec(KvDtype.INT8).encode(ID, slice);
        int scales = codec(KvDtype.INT8).readHeader(segment).getQuantization().getOffset();
        segment.putFloat(scales + 4 * 70, -1f);
        resign(segment);

        KvSegmentException e = assertError(KvSegmentError.INVALID_SCALE, () -> codec(KvDtype.F32).decode(segment));

        assertTrue(e.getMessage().contains("values of layer 4 head 0 token 6"), e.getMessage());
    }

    /** Encodes the slice, edits the header, re-signs it: what a buggy or newer writer would send. */
    private KvSlice decodeRewritten(Consumer<ByteBuffer> edit) {
        ByteBuffer segment = codec(KvDtype.F32).encode(ID, slice);
        edit.accept(segment);
        resign(segment);
        return codec(KvDtype.F32).decode(segment);
    }

    private static void resign(ByteBuffer segment) {
        CRC32C crc = new CRC32C();
        crc.update(segment.duplicate().limit(segment.limit() - 4));
        segment.order(ByteOrder.LITTLE_ENDIAN).putInt(segment.limit() - 4, (int) crc.getValue());
    }

    private static KvSegmentException assertError(KvSegmentError expected, Runnable action) {
        KvSegmentException e = assertThrows(KvSegmentException.class, action::run);
        assertEquals(expected, e.error(), e.getMessage());
        return e;
    }
}
