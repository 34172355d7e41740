package io.c2cstream.schemas.kv;

import java.util.Objects;

/**
 * A KV segment that cannot be encoded or decoded. {@link #error()} names the class of failure (for dead-letter
 * codes, metrics and fallbacks); the message names the bad value.
 */
public final class KvSegmentException extends RuntimeException {

    private final KvSegmentError error;

    public KvSegmentException(KvSegmentError error, String message) {
        super(error + ": " + message);
        this.error = Objects.requireNonNull(error, "error");
    }

    /** The class of failure. */
    public KvSegmentError error() {
        return error;
    }
}
