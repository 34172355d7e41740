package io.c2cstream.engine.checkpoint;

/** A checkpoint that cannot be used as it is; the message says what is wrong and where. */
public class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
