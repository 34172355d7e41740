package io.c2cstream.schemas.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compatibility suite: for every contract, records cross a version boundary in both directions, for a field
 * added with a default (earlier version v0 -> current v1) and for a field removed (current v1 -> later version v2,
 * which also adds one). The v0 and v2 schemas are frozen test resources under {@code evolution/<Record>/}.
 */
class SchemaEvolutionTest {

    /** Sample record, the field v1 added to v0, the field v2 removed from v1, the field v2 added. */
    static Stream<Arguments> contracts() {
        return Stream.of(
                Arguments.of(SampleRecords.request(), "deadline", "tenant", "priority", 0),
                Arguments.of(SampleRecords.response(), "fuserVersion", "fallbackReason", "cached", false),
                Arguments.of(SampleRecords.deadLetter(), "requestId", "sourceOffset", "attempt", 1),
                Arguments.of(SampleRecords.kvSegment(), "quantization", "modelId", "compressedLength", 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contracts")
    void olderWriterToNewerReaderFillsTheAddedFieldWithItsDefault(SpecificRecord sample, String addedInV1) {
        Schema v0 = fixture(sample, "v0");
        SingleObjectCodec<Object> olderWriter = SingleObjectCodec.forGeneric(v0).knownWriterSchema(sample.getSchema())
                .build();
        Object olderRecord = olderWriter.decode(current(sample).encode(sample));

        SpecificRecord read = currentKnowing(sample, v0).decode(olderWriter.encode(olderRecord));

        assertEquals(defaultOf(sample.getSchema(), addedInV1), get(read, addedInV1));
        assertEquals(withDefault(sample, addedInV1), read);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contracts")
    void newerWriterToOlderReaderSkipsTheFieldItDoesNotKnow(SpecificRecord sample, String addedInV1) {
        Schema v0 = fixture(sample, "v0");
        SingleObjectCodec<Object> olderReader = SingleObjectCodec.forGeneric(v0).knownWriterSchema(sample.getSchema())
                .build();

        GenericRecord read = (GenericRecord) olderReader.decode(current(sample).encode(sample));

        assertEquals(null, read.getSchema().getField(addedInV1));
        for (Schema.Field field : v0.getFields()) {
            assertEquals(GenericData.get().deepCopy(field.schema(), generic(sample).get(field.name())),
                    read.get(field.name()), field.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contracts")
    void newerWriterWithoutAFieldToOlderReaderFillsTheRemovedFieldWithItsDefault(SpecificRecord sample,
            String addedInV1, String removedInV2, String addedInV2) {
        Schema v2 = fixture(sample, "v2");
        SingleObjectCodec<Object> newerWriter = SingleObjectCodec.forGeneric(v2).knownWriterSchema(sample.getSchema())
                .build();
        GenericRecord newerRecord = (GenericRecord) newerWriter.decode(current(sample).encode(sample));
        assertEquals(defaultOf(v2, addedInV2), newerRecord.get(addedInV2), "current -> v2 defaults the new field");

        SpecificRecord read = currentKnowing(sample, v2).decode(newerWriter.encode(newerRecord));

        assertNotEquals(defaultOf(sample.getSchema(), removedInV2), get(sample, removedInV2), "sample must differ");
        assertEquals(withDefault(sample, removedInV2), read);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contracts")
    void readerOfTheCurrentVersionRejectsALaterWriterItWasNotGiven(SpecificRecord sample) {
        Schema v2 = fixture(sample, "v2");
        SingleObjectCodec<Object> newerWriter = SingleObjectCodec.forGeneric(v2).knownWriterSchema(sample.getSchema())
                .build();
        byte[] bytes = newerWriter.encode(newerWriter.decode(current(sample).encode(sample)));

        WireFormatException e = assertThrows(WireFormatException.class, () -> current(sample).decode(bytes));

        assertEquals(WireError.UNKNOWN_FINGERPRINT, e.error());
    }

    private static SingleObjectCodec<SpecificRecord> current(SpecificRecord sample) {
        return SingleObjectCodec.forSpecific(type(sample)).build();
    }

    private static SingleObjectCodec<SpecificRecord> currentKnowing(SpecificRecord sample, Schema writer) {
        return SingleObjectCodec.forSpecific(type(sample)).knownWriterSchema(writer).build();
    }

    @SuppressWarnings("unchecked")
    private static Class<SpecificRecord> type(SpecificRecord sample) {
        return (Class<SpecificRecord>) sample.getClass();
    }

    private static SpecificRecord withDefault(SpecificRecord sample, String field) {
        SpecificRecord copy = SpecificData.get().deepCopy(sample.getSchema(), sample);
        Schema.Field f = sample.getSchema().getField(field);
        copy.put(f.pos(), SpecificData.get().getDefaultValue(f));
        return copy;
    }

    private static Object get(SpecificRecord record, String field) {
        return record.get(record.getSchema().getField(field).pos());
    }

    private static Object defaultOf(Schema schema, String field) {
        return GenericData.get().getDefaultValue(schema.getField(field));
    }

    private static GenericRecord generic(SpecificRecord sample) {
        SingleObjectCodec<Object> codec = SingleObjectCodec.forGeneric(sample.getSchema()).build();
        return (GenericRecord) codec.decode(current(sample).encode(sample));
    }

    private static Schema fixture(SpecificRecord sample, String version) {
        String path = "/evolution/" + sample.getSchema().getName() + "/" + version + ".avsc";
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream(path)) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
    }
}
