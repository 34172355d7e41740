package io.c2cstream.schemas.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Kafka record values in Avro single-object encoding: the marker {@code C3 01}, the writer schema's 8-byte
 * CRC-64-AVRO fingerprint (little-endian), then the Avro binary body.
 *
 * <p>The codec writes with its reader schema (the current one) and reads any writer schema it knows: every released
 * version in the record's {@link SchemaHistory} plus those added with {@link Builder#knownWriterSchema}. Records from
 * a writer it does not know fail with {@link WireError#UNKNOWN_FINGERPRINT}; there is no schema registry to ask, so a
 * new version must reach every reader's history before any writer uses it (docs/wire-contracts.md).
 *
 * <p>Thread-safe: Avro datum readers and writers are, and encoders and decoders are created per call.
 *
 * @param <T> the record type: a generated {@link SpecificRecord} or a {@link org.apache.avro.generic.GenericRecord}
 */
public final class SingleObjectCodec<T> {

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;
    /** Marker plus fingerprint. */
    public static final int HEADER_BYTES = 10;

    private final Schema schema;
    private final long fingerprint;
    private final byte[] header;
    private final DatumWriter<T> writer;
    private final Map<Long, DatumReader<T>> readers;

    private SingleObjectCodec(GenericData model, Schema schema, List<Schema> writerSchemas) {
        this.schema = schema;
        this.fingerprint = SchemaHistory.fingerprint(schema);
        this.header = header(fingerprint);
        this.writer = datumWriter(model, schema);
        Map<Long, DatumReader<T>> byFingerprint = new HashMap<>();
        for (Schema writerSchema : writerSchemas) {
            requireReadable(writerSchema, schema);
            byFingerprint.putIfAbsent(SchemaHistory.fingerprint(writerSchema),
                    datumReader(model, writerSchema, schema));
        }
        this.readers = Map.copyOf(byFingerprint);
    }

    /** A codec for a generated record class, reading every released version of its schema. */
    public static <T extends SpecificRecord> Builder<T> forSpecific(Class<T> recordClass) {
        SpecificData model = SpecificData.getForClass(recordClass);
        Schema schema = model.getSchema(recordClass);
        return new Builder<>(model, schema);
    }

    /** A codec for generic records of {@code schema} (tools, tests, schema versions without generated classes). */
    public static Builder<Object> forGeneric(Schema schema) {
        return new Builder<>(GenericData.get(), schema);
    }

    /** The schema records are written with and decoded into. */
    public Schema schema() {
        return schema;
    }

    /** CRC-64-AVRO fingerprint of {@link #schema()}: what {@link #encode} writes after the marker. */
    public long fingerprint() {
        return fingerprint;
    }

    /** Encodes one record: marker, fingerprint, body. */
    public byte[] encode(T record) {
        Objects.requireNonNull(record, "record");
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(header);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes one record written by any known writer version, resolved to {@link #schema()}: fields the writer did
     * not have take their defaults, fields the reader does not have are skipped.
     *
     * @throws WireFormatException for a short or unmarked value, an unknown fingerprint, or a body that does not
     *     decode to exactly the given bytes
     */
    public T decode(byte[] value) {
        Objects.requireNonNull(value, "value");
        if (value.length < HEADER_BYTES) {
            throw new WireFormatException(WireError.TRUNCATED_HEADER, "record value has " + value.length
                    + " bytes, fewer than the " + HEADER_BYTES + "-byte single-object header");
        }
        if (value[0] != MARKER_0 || value[1] != MARKER_1) {
            throw new WireFormatException(WireError.BAD_MARKER, String.format(
                    "record value starts with %02X %02X, not the single-object marker C3 01: the producer does not"
                            + " write Avro single-object encoding", value[0] & 0xff, value[1] & 0xff));
        }
        long writerFingerprint = readLongLittleEndian(value, 2);
        DatumReader<T> reader = readers.get(writerFingerprint);
        if (reader == null) {
            throw new WireFormatException(WireError.UNKNOWN_FINGERPRINT, String.format(
                    "writer schema fingerprint %016X is not a known version of %s (known: %s); add the writer's"
                            + " schema to schemas/src/main/avro/history before producing with it",
                    writerFingerprint, schema.getFullName(), knownFingerprints()));
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, HEADER_BYTES,
                value.length - HEADER_BYTES, null);
        T record;
        try {
            record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new WireFormatException(WireError.MALFORMED_BODY, "body of " + schema.getFullName()
                        + " has trailing bytes after the record");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof WireFormatException) {
                throw (WireFormatException) e;
            }
            // Avro reports bad bodies with a variety of exceptions (EOF, AvroRuntimeException, negative sizes)
            throw new WireFormatException(WireError.MALFORMED_BODY, "body of " + schema.getFullName()
                    + " does not decode with writer schema " + String.format("%016X", writerFingerprint)
                    + ": " + e, e);
        }
        return record;
    }

    private String knownFingerprints() {
        return readers.keySet().stream().sorted().map(f -> String.format("%016X", f))
                .collect(Collectors.joining(", "));
    }

    private static void requireReadable(Schema writerSchema, Schema readerSchema) {
        SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new WireFormatException(WireError.INCOMPATIBLE_SCHEMA, String.format(
                    "writer schema %016X cannot be read as %s: %s; evolve by adding fields with defaults and by"
                            + " removing only fields that have defaults",
                    SchemaHistory.fingerprint(writerSchema), readerSchema.getFullName(),
                    result.getResult().getIncompatibilities()));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> DatumWriter<T> datumWriter(GenericData model, Schema schema) {
        return (DatumWriter<T>) model.createDatumWriter(schema);
    }

    @SuppressWarnings("unchecked")
    private static <T> DatumReader<T> datumReader(GenericData model, Schema writer, Schema reader) {
        return (DatumReader<T>) model.createDatumReader(writer, reader);
    }

    private static byte[] header(long fingerprint) {
        byte[] bytes = new byte[HEADER_BYTES];
        bytes[0] = MARKER_0;
        bytes[1] = MARKER_1;
        for (int i = 0; i < Long.BYTES; i++) {
            bytes[2 + i] = (byte) (fingerprint >>> (8 * i));
        }
        return bytes;
    }

    private static long readLongLittleEndian(byte[] bytes, int offset) {
        long value = 0;
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[offset + i] & 0xffL);
        }
        return value;
    }

    /**
     * Configures a {@link SingleObjectCodec}.
     *
     * @param <T> the record type
     */
    public static final class Builder<T> {

        private final GenericData model;
        private final Schema schema;
        private final Map<Long, Schema> writerSchemas = new LinkedHashMap<>();
        private boolean useHistory = true;

        private Builder(GenericData model, Schema schema) {
            this.model = model;
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        /**
         * Whether to accept every released version in the record's {@link SchemaHistory} (default true). Off, the
         * codec knows only its own schema and those added with {@link #knownWriterSchema}.
         */
        public Builder<T> useHistory(boolean useHistory) {
            this.useHistory = useHistory;
            return this;
        }

        /**
         * Also accepts records written with {@code writerSchema}: e.g. a newer version rolled out to readers before
         * writers (the "new writer, old reader" step of an upgrade).
         */
        public Builder<T> knownWriterSchema(Schema writerSchema) {
            writerSchemas.put(SchemaHistory.fingerprint(writerSchema), writerSchema);
            return this;
        }

        /**
         * Builds the codec.
         *
         * @throws WireFormatException ({@link WireError#INCOMPATIBLE_SCHEMA}) when a known writer schema cannot be
         *     read with the reader schema
         */
        public SingleObjectCodec<T> build() {
            List<Schema> all = new ArrayList<>();
            all.add(schema);
            if (useHistory) {
                all.addAll(SchemaHistory.load(schema.getName()).versions());
            }
            all.addAll(writerSchemas.values());
            return new SingleObjectCodec<>(model, schema, all);
        }
    }
}
