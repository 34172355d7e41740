package io.c2cstream.engine.checkpoint;

import java.nio.file.Path;

/** A safetensors file is shorter than its own header says: an interrupted download or copy. */
public final class TruncatedCheckpointException extends CheckpointException {
    private static final long serialVersionUID = 1L;

    public TruncatedCheckpointException(Path file, long expectedBytes, long actualBytes) {
        super("safetensors file " + file + " is truncated: its header needs " + expectedBytes
                + " bytes but the file has " + actualBytes + "; copy or download it again");
    }
}
