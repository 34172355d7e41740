package io.c2cstream.schemas.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The frozen, released versions of one record schema, oldest first.
 *
 * <p>Versions live on the classpath as {@code io/c2cstream/schemas/history/<RecordName>/v1.avsc}, {@code v2.avsc},
 * ... numbered without gaps (source: {@code schemas/src/main/avro/history}). A version, once released, is never
 * edited: writers that used it may still have records in Kafka, and readers find its schema by fingerprint.
 */
public final class SchemaHistory {

    private static final String ROOT = "io/c2cstream/schemas/history/";

    private final String recordName;
    private final List<Schema> versions;

    private SchemaHistory(String recordName, List<Schema> versions) {
        this.recordName = recordName;
        this.versions = List.copyOf(versions);
    }

    /**
     * Loads every released version of a record from the class path.
     *
     * @param recordName simple name of the record, e.g. {@code InferenceRequest}
     * @throws IllegalStateException when no version exists: freeze the current schema as {@code v1.avsc} first
     */
    public static SchemaHistory load(String recordName) {
        return load(recordName, SchemaHistory.class.getClassLoader());
    }

    /** As {@link #load(String)}, reading resources through the given class loader. */
    public static SchemaHistory load(String recordName, ClassLoader loader) {
        Objects.requireNonNull(recordName, "recordName");
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            String path = ROOT + recordName + "/v" + v + ".avsc";
            try (InputStream in = loader.getResourceAsStream(path)) {
                if (in == null) {
                    break;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema history resource " + path, e);
            }
        }
        if (versions.isEmpty()) {
            throw new IllegalStateException("no released versions of " + recordName + " under " + ROOT + recordName
                    + "/: copy the current schema there as v1.avsc");
        }
        return new SchemaHistory(recordName, versions);
    }

    /** Simple name of the record. */
    public String recordName() {
        return recordName;
    }

    /** All versions, oldest ({@code v1}) first. */
    public List<Schema> versions() {
        return versions;
    }

    /** The newest released version. */
    public Schema latest() {
        return versions.get(versions.size() - 1);
    }

    /** The version number (1-based) whose CRC-64-AVRO fingerprint is {@code fingerprint}, if any. */
    public OptionalInt versionOf(long fingerprint) {
        for (int i = 0; i < versions.size(); i++) {
            if (fingerprint(versions.get(i)) == fingerprint) {
                return OptionalInt.of(i + 1);
            }
        }
        return OptionalInt.empty();
    }

    /** The CRC-64-AVRO fingerprint of a schema's parsing canonical form: what single-object encoding writes. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }
}
