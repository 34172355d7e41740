package io.c2cstream.engine.llama2c;

import io.c2cstream.engine.checkpoint.CheckpointException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The weights of a checkpoint in Karpathy's llama2.c legacy format ({@code export.py --version 0}): a 7-int
 * header, then f32 tensors in a fixed order. Matrices are row-major {@code [out, in]} as llama2.c multiplies
 * them; per-layer tensors are indexed by layer first.
 *
 * @param tokenEmbedding [vocab, dim]
 * @param attentionNorm  per layer [dim]
 * @param wq             per layer [dim, dim]
 * @param wk             per layer [kvDim, dim]
 * @param wv             per layer [kvDim, dim]
 * @param wo             per layer [dim, dim]
 * @param ffnNorm        per layer [dim]
 * @param w1             per layer [hidden, dim], the SwiGLU gate
 * @param w2             per layer [dim, hidden], the down projection
 * @param w3             per layer [hidden, dim], the up projection
 * @param finalNorm      [dim]
 * @param classifier     [vocab, dim]; the token embedding itself when {@link Llama2cConfig#sharedClassifier()}
 */
public record Llama2cCheckpoint(Llama2cConfig config, float[] tokenEmbedding, float[][] attentionNorm,
                                float[][] wq, float[][] wk, float[][] wv, float[][] wo, float[][] ffnNorm,
                                float[][] w1, float[][] w2, float[][] w3, float[] finalNorm, float[] classifier) {
    /** First int of the newer llama2.c exports (versions 1 and 2), "ak42" in ASCII. */
    private static final int VERSIONED_MAGIC = 0x616b3432;

    public static Llama2cCheckpoint read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("llama2.c checkpoint " + file + " does not exist or is not a file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < Llama2cConfig.HEADER_BYTES) {
                throw new CheckpointException(file + " has " + size + " bytes, fewer than the "
                        + Llama2cConfig.HEADER_BYTES + "-byte header of a llama2.c checkpoint");
            }
            FloatReader in = new FloatReader(channel);
            int[] header = in.ints(7);
            if (header[0] == VERSIONED_MAGIC) {
                throw new CheckpointException(file + " is a versioned llama2.c export (magic \"ak42\"); only the"
                        + " legacy format is supported: export it again with export.py --version 0");
            }
            Llama2cConfig c = Llama2cConfig.fromHeader(file, header);
            if (size != c.fileBytes()) {
                throw new CheckpointException(file + " has " + size + " bytes but its header " + c + " implies "
                        + c.fileBytes() + (size < c.fileBytes()
                        ? ": the file is truncated, copy or download it again"
                        : ": it is not a llama2.c legacy checkpoint (or was written by a different exporter)"));
            }
            int d = c.dim();
            int l = c.layers();
            float[] embedding = in.floats((long) c.vocabSize() * d);
            float[][] attentionNorm = in.layers(l, d);
            float[][] wq = in.layers(l, (long) d * d);
            float[][] wk = in.layers(l, (long) c.kvDim() * d);
            float[][] wv = in.layers(l, (long) c.kvDim() * d);
            float[][] wo = in.layers(l, (long) d * d);
            float[][] ffnNorm = in.layers(l, d);
            float[][] w1 = in.layers(l, (long) c.hiddenDim() * d);
            float[][] w2 = in.layers(l, (long) d * c.hiddenDim());
            float[][] w3 = in.layers(l, (long) c.hiddenDim() * d);
            float[] finalNorm = in.floats(d);
            in.skipFloats((long) c.seqLen() * c.headDim()); // legacy freq_cis_real and freq_cis_imag, recomputed by every runtime
            float[] classifier = c.sharedClassifier() ? embedding : in.floats((long) c.vocabSize() * d);
            return new Llama2cCheckpoint(c, embedding, attentionNorm, wq, wk, wv, wo, ffnNorm, w1, w2, w3,
                    finalNorm, classifier);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read llama2.c checkpoint " + file, e);
        }
    }

    /** Sequential little-endian reads; each tensor is mapped on its own so no single buffer passes 2 GiB. */
    private static final class FloatReader {
        private final FileChannel channel;
        private long position;

        FloatReader(FileChannel channel) {
            this.channel = channel;
        }

        int[] ints(int count) throws IOException {
            int[] out = new int[count];
            map(count).asIntBuffer().get(out);
            return out;
        }

        float[] floats(long count) throws IOException {
            if (count > Integer.MAX_VALUE - 8) {
                throw new CheckpointException("a tensor of " + count + " elements does not fit one Java array");
            }
            float[] out = new float[(int) count];
            map(count).asFloatBuffer().get(out);
            return out;
        }

        float[][] layers(int layers, long perLayer) throws IOException {
            float[][] out = new float[layers][];
            for (int i = 0; i < layers; i++) {
                out[i] = floats(perLayer);
            }
            return out;
        }

        void skipFloats(long count) {
            position += count * Float.BYTES;
        }

        private ByteBuffer map(long elements) throws IOException {
            long bytes = elements * Float.BYTES;
            ByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, position, bytes).order(ByteOrder.LITTLE_ENDIAN);
            position += bytes;
            return buffer;
        }
    }
}
