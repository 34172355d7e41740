package io.c2cstream.engine.model;

import io.c2cstream.engine.checkpoint.CheckpointException;

/** config.json names an architecture the engine does not implement. */
public final class UnsupportedModelException extends CheckpointException {
    private static final long serialVersionUID = 1L;

    UnsupportedModelException(String modelType, String supported) {
        super("model_type '" + modelType + "' is not supported; supported model types are: " + supported);
    }
}
