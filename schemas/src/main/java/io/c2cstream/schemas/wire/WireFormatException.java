package io.c2cstream.schemas.wire;

import java.util.Objects;

/**
 * A record value that is not a valid single-object encoded record of the expected type, or a codec whose known
 * writer schemas cannot be read with its reader schema. {@link #error()} says which, for dead-letter codes and
 * metrics; the message names the bad value and what to do about it.
 */
public final class WireFormatException extends RuntimeException {

    private final WireError error;

    public WireFormatException(WireError error, String message) {
        this(error, message, null);
    }

    public WireFormatException(WireError error, String message, Throwable cause) {
        super(error + ": " + message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    /** The class of failure. */
    public WireError error() {
        return error;
    }
}
