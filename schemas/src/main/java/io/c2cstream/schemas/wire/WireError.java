package io.c2cstream.schemas.wire;

/** Why a Kafka record value could not be decoded, or a codec could not be built; carried by {@link WireFormatException}. */
public enum WireError {
    /** Fewer bytes than the 10-byte single-object header: not an Avro single-object record. */
    TRUNCATED_HEADER,
    /** The first two bytes are not the single-object marker {@code C3 01}: not an Avro single-object record. */
    BAD_MARKER,
    /** The writer's schema fingerprint is not among the versions this reader knows. */
    UNKNOWN_FINGERPRINT,
    /** The body does not decode with the writer schema its fingerprint names (corrupt, truncated or extended). */
    MALFORMED_BODY,
    /** A known writer schema cannot be resolved to the reader schema (an incompatible evolution step). */
    INCOMPATIBLE_SCHEMA
}
