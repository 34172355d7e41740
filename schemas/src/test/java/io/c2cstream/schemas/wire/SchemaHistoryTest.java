package io.c2cstream.schemas.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Release discipline, checked on every build: what the evolution rules in docs/wire-contracts.md promise. */
class SchemaHistoryTest {

    /** Fields without a default can never be removed: keep this list short and deliberate. */
    private static final Set<String> PERMANENT_FIELDS = Set.of("InferenceRequest.requestId",
            "InferenceRequest.prompt", "InferenceResponse.requestId", "KvSegment.requestId");

    static Stream<Named<Schema>> currentSchemas() {
        return SampleRecords.all().stream().map(SpecificRecord::getSchema).map(s -> Named.of(s.getName(), s));
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void currentSchemaIsFrozenAsTheLatestHistoryVersion(Schema current) {
        SchemaHistory history = SchemaHistory.load(current.getName());

        assertEquals(SchemaHistory.fingerprint(current), SchemaHistory.fingerprint(history.latest()),
                "schemas/src/main/avro/" + current.getName() + ".avsc changed: freeze it as the next history"
                        + " version v" + (history.versions().size() + 1) + ".avsc");
        assertEquals(history.versions().size(), history.versionOf(SchemaHistory.fingerprint(current)).getAsInt());
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void everyHistoryVersionReadsAndIsReadByTheCurrentOne(Schema current) {
        for (Schema old : SchemaHistory.load(current.getName()).versions()) {
            assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                    SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType(), "old writer");
            assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                    SchemaCompatibility.checkReaderWriterCompatibility(old, current).getType(), "old reader");
        }
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void everyTypeAndFieldIsDocumentedAndOnlyPermanentFieldsLackADefault(Schema current) {
        List<String> problems = new ArrayList<>();
        check(current, problems, new ArrayList<>());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void missingHistoryIsANamedErrorSayingWhatToFreeze() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SchemaHistory.load("Nope"));

        assertTrue(e.getMessage().contains("Nope/") && e.getMessage().contains("v1.avsc"), e.getMessage());
    }

    @Test
    void unknownFingerprintHasNoVersion() {
        assertFalse(SchemaHistory.load("DeadLetter").versionOf(42L).isPresent());
    }

    private static void check(Schema schema, List<String> problems, List<String> seen) {
        switch (schema.getType()) {
            case UNION -> schema.getTypes().forEach(branch -> check(branch, problems, seen));
            case ARRAY -> check(schema.getElementType(), problems, seen);
            case ENUM -> {
                if (schema.getDoc() == null) {
                    problems.add("enum " + schema.getName() + " has no doc");
                }
            }
            case RECORD -> {
                if (seen.contains(schema.getFullName())) {
                    return;
                }
                seen.add(schema.getFullName());
                if (schema.getDoc() == null) {
                    problems.add("record " + schema.getName() + " has no doc");
                }
                for (Schema.Field field : schema.getFields()) {
                    String name = schema.getName() + "." + field.name();
                    if (field.doc() == null) {
                        problems.add(name + " has no doc");
                    }
                    boolean nested = !schema.getName().equals("InferenceRequest")
                            && !schema.getName().equals("InferenceResponse") && !schema.getName().equals("DeadLetter")
                            && !schema.getName().equals("KvSegment");
                    if (!field.hasDefaultValue() && !nested && !PERMANENT_FIELDS.contains(name)) {
                        problems.add(name + " has no default: it could never be removed");
                    }
                    check(field.schema(), problems, seen);
                }
            }
            default -> {
            }
        }
    }
}
