package io.c2cstream.schemas.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;

import io.c2cstream.schemas.avro.InferenceRequest;
import io.c2cstream.schemas.avro.TextPrompt;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SingleObjectCodecTest {

    private final SingleObjectCodec<InferenceRequest> requests =
            SingleObjectCodec.forSpecific(InferenceRequest.class).build();

    static Stream<SpecificRecord> samples() {
        return SampleRecords.all().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    <T extends SpecificRecord> void everyContractRoundTripsThroughItsCodec(T sample) {
        @SuppressWarnings("unchecked")
        SingleObjectCodec<T> codec = SingleObjectCodec.forSpecific((Class<T>) sample.getClass()).build();

        assertEquals(sample, codec.decode(codec.encode(sample)));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void bytesAreAvroSingleObjectEncodingAsAvroItselfWritesIt(SpecificRecord sample) throws Exception {
        @SuppressWarnings("unchecked")
        SingleObjectCodec<SpecificRecord> codec =
                SingleObjectCodec.forSpecific((Class<SpecificRecord>) sample.getClass()).build();
        byte[] ours = codec.encode(sample);

        Object avroEncoder = sample.getClass().getMethod("getEncoder").invoke(null);
        java.nio.ByteBuffer theirs = (java.nio.ByteBuffer) avroEncoder.getClass()
                .getMethod("encode", Object.class).invoke(avroEncoder, sample);
        byte[] theirBytes = new byte[theirs.remaining()];
        theirs.get(theirBytes);

        assertArrayEquals(theirBytes, ours);
    }

    @Test
    void headerIsMarkerThenLittleEndianFingerprintOfTheCurrentSchema() {
        byte[] bytes = requests.encode(SampleRecords.request());

        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        long fingerprint = 0;
        for (int i = 9; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (bytes[i] & 0xff);
        }
        assertEquals(SchemaHistory.fingerprint(InferenceRequest.getClassSchema()), fingerprint);
        assertEquals(requests.fingerprint(), fingerprint);
    }

    @Test
    void rawTextPromptIsTheOtherBranchOfThePromptUnion() {
        InferenceRequest request = InferenceRequest.newBuilder().setRequestId("r")
                .setPrompt(new TextPrompt("Once upon a time")).build();

        InferenceRequest decoded = requests.decode(requests.encode(request));

        assertEquals(new TextPrompt("Once upon a time"), decoded.getPrompt());
        assertEquals(256, decoded.getGeneration().getMaxNewTokens(), "defaults apply to unset fields");
    }

    @Test
    void valueShorterThanTheHeaderIsTruncatedHeader() {
        WireFormatException e = assertThrows(WireFormatException.class,
                () -> requests.decode(new byte[] {(byte) 0xC3, 0x01, 0x00}));

        assertEquals(WireError.TRUNCATED_HEADER, e.error());
    }

    @Test
    void valueWithoutTheMarkerIsBadMarker() {
        byte[] bytes = requests.encode(SampleRecords.request());
        bytes[0] = '{';

        WireFormatException e = assertThrows(WireFormatException.class, () -> requests.decode(bytes));

        assertEquals(WireError.BAD_MARKER, e.error());
        assertTrue(e.getMessage().contains("7B 01"), e.getMessage());
    }

    @Test
    void unknownWriterFingerprintIsNamedWithTheKnownOnesAndTheFix() {
        byte[] bytes = requests.encode(SampleRecords.request());
        bytes[2] ^= 0x55;

        WireFormatException e = assertThrows(WireFormatException.class, () -> requests.decode(bytes));

        assertEquals(WireError.UNKNOWN_FINGERPRINT, e.error());
        assertTrue(e.getMessage().contains(String.format("%016X", requests.fingerprint())), e.getMessage());
        assertTrue(e.getMessage().contains("schemas/src/main/avro/history"), e.getMessage());
    }

    @Test
    void truncatedBodyIsMalformedBody() {
        byte[] bytes = requests.encode(SampleRecords.request());

        WireFormatException e = assertThrows(WireFormatException.class,
                () -> requests.decode(Arrays.copyOf(bytes, bytes.length - 3)));

        assertEquals(WireError.MALFORMED_BODY, e.error());
    }

    @Test
    void trailingBytesAfterTheRecordAreMalformedBody() {
        byte[] bytes = requests.encode(SampleRecords.request());

        WireFormatException e = assertThrows(WireFormatException.class,
                () -> requests.decode(Arrays.copyOf(bytes, bytes.length + 1)));

        assertEquals(WireError.MALFORMED_BODY, e.error());
    }

    @Test
    void garbageBodiesAreAlwaysMalformedBodyNeverAnotherException() {
        byte[] valid = requests.encode(SampleRecords.request());
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = Arrays.copyOf(valid, SingleObjectCodec.HEADER_BYTES + random.nextInt(valid.length));
            for (int j = SingleObjectCodec.HEADER_BYTES; j < bytes.length; j++) {
                if (random.nextInt(8) == 0) {
                    bytes[j] = (byte) random.nextInt(256);
                }
            }
            try {
                requests.decode(bytes);
            } catch (WireFormatException e) {
                assertEquals(WireError.MALFORMED_BODY, e.error(), "iteration " + i);
            }
        }
    }

    @Test
    void writerSchemaThatCannotBeReadFailsTheBuildNotTheFirstRecord() {
        Schema incompatible = SchemaBuilder.record("InferenceRequest").namespace("io.c2cstream.schemas.avro")
                .fields().requiredLong("requestId").endRecord();

        WireFormatException e = assertThrows(WireFormatException.class,
                () -> SingleObjectCodec.forSpecific(InferenceRequest.class).knownWriterSchema(incompatible).build());

        assertEquals(WireError.INCOMPATIBLE_SCHEMA, e.error());
    }
}
