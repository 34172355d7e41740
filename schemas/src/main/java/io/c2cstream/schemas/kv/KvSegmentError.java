package io.c2cstream.schemas.kv;

/** Why a KV segment was rejected; carried by {@link KvSegmentException}. */
public enum KvSegmentError {
    /** Fewer bytes than the smallest possible segment. */
    TRUNCATED,
    /** The first four bytes are not the segment magic {@code C2KV}: these bytes are not a KV segment. */
    BAD_MAGIC,
    /** The segment's format version is not one this codec reads (written by a newer release?). */
    UNSUPPORTED_VERSION,
    /** The length the header declares differs from the bytes given, or from what the header's shape implies. */
    LENGTH_MISMATCH,
    /** The CRC32C over header and payload does not match the stored one: corrupted in transit or storage. */
    CHECKSUM_MISMATCH,
    /** The payload codec id is unknown to this version. */
    UNKNOWN_CODEC,
    /** The dtype id is unknown to this version. */
    UNKNOWN_DTYPE,
    /** A header field is out of range (negative count, bad UTF-8 id, non-zero reserved bits, ...). */
    INVALID_HEADER,
    /** A quantization scale is negative or not finite. */
    INVALID_SCALE,
    /** An INT8 segment was asked to encode a NaN or infinite value, which int8 cannot represent. */
    NON_FINITE_VALUE,
    /** The slice given to decode into has another shape than the segment. */
    SHAPE_MISMATCH,
    /** The target buffer has too little room for the encoded segment. */
    BUFFER_TOO_SMALL
}
