package io.c2cstream.engine.llama2c;

import io.c2cstream.engine.checkpoint.CheckpointException;
import java.nio.file.Path;

/**
 * The geometry in the 7-int header of a llama2.c legacy checkpoint.
 *
 * @param sharedClassifier whether the logits reuse the token embedding (the header stores a negative vocab
 *                         size when they do not)
 */
public record Llama2cConfig(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int seqLen,
                            boolean sharedClassifier) {
    /** Bytes of the header: seven little-endian int32. */
    public static final int HEADER_BYTES = 7 * Integer.BYTES;

    /** Checks the header of {@code file}; a header that cannot describe a Llama model is not a llama2.c checkpoint. */
    static Llama2cConfig fromHeader(Path file, int[] header) {
        Llama2cConfig config = new Llama2cConfig(header[0], header[1], header[2], header[3], header[4],
                Math.abs(header[5]), header[6], header[5] > 0);
        boolean positive = config.dim > 0 && config.hiddenDim > 0 && config.layers > 0 && config.heads > 0
                && config.kvHeads > 0 && config.vocabSize > 0 && config.seqLen > 0;
        if (!positive || config.dim % config.heads != 0 || config.heads % config.kvHeads != 0
                || config.headDim() % 2 != 0) {
            throw new CheckpointException(file + " is not a llama2.c legacy checkpoint: its header " + config
                    + " does not describe a Llama model (dimensions must be positive, dim divisible by heads into an"
                    + " even head size, heads divisible by kv heads)");
        }
        return config;
    }

    public int headDim() {
        return dim / heads;
    }

    /** Rows of wk and wv: one head_dim block per key/value head. */
    public int kvDim() {
        return kvHeads * headDim();
    }

    /** The exact file size this header implies, the legacy RoPE tables and an unshared classifier included. */
    public long fileBytes() {
        long perLayer = 2L * dim + 2L * dim * dim + 2L * kvDim() * dim + 3L * hiddenDim * dim;
        long floats = (long) vocabSize * dim + layers * perLayer + dim + (long) seqLen * headDim()
                + (sharedClassifier ? 0 : (long) vocabSize * dim);
        return HEADER_BYTES + floats * Float.BYTES;
    }
}
