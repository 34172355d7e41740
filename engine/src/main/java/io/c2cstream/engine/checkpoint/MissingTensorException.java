package io.c2cstream.engine.checkpoint;

import java.nio.file.Path;

/** A tensor the model needs is not in the checkpoint. */
public final class MissingTensorException extends CheckpointException {
    private static final long serialVersionUID = 1L;
    private final String tensor;

    public MissingTensorException(String tensor, Path checkpoint) {
        super("checkpoint " + checkpoint + " has no tensor '" + tensor
                + "': it was saved for a different architecture or is incomplete");
        this.tensor = tensor;
    }

    public String tensor() {
        return tensor;
    }
}
