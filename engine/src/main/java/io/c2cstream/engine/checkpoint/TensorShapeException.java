package io.c2cstream.engine.checkpoint;

import java.util.Arrays;

/** A tensor exists but its shape disagrees with what config.json implies. */
public final class TensorShapeException extends CheckpointException {
    private static final long serialVersionUID = 1L;

    public TensorShapeException(String tensor, long[] expected, long[] found) {
        super("tensor '" + tensor + "' has shape " + Arrays.toString(found) + " but the config implies "
                + Arrays.toString(expected) + ": config.json and the weights do not belong together");
    }
}
