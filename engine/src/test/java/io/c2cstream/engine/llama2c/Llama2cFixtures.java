package io.c2cstream.engine.llama2c;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Writes small llama2.c checkpoints and tokenizers with known contents, for tests here and in other modules. */
public final class Llama2cFixtures {
    /** Pieces after the control and byte-fallback ones, best score first; "abc", " ab" and "ili" have two splits. */
    private static final String[] PIECES = {
        " a", "ab", "bc", "abc", " ab", "il", "li", "ili", " i", "c ", "a", "b", "c", "i", "l", " ", "é", "!"};

    private Llama2cFixtures() {}

    /** dim 16, hidden 24, 2 layers, 2 heads sharing 1 key/value head, seq 8, the fixture vocabulary. */
    public static Llama2cConfig tinyConfig(boolean sharedClassifier) {
        return new Llama2cConfig(16, 24, 2, 2, 1, vocabularySize(), 8, sharedClassifier);
    }

    public static int vocabularySize() {
        return Llama2cTokenizer.FIRST_BYTE_ID + 256 + PIECES.length;
    }

    /** A checkpoint of uniform random weights in [-1, 1). */
    public static Llama2cCheckpoint randomCheckpoint(Llama2cConfig c, long seed) {
        Random random = new Random(seed);
        int d = c.dim();
        int l = c.layers();
        float[] embedding = random(random, (long) c.vocabSize() * d);
        return new Llama2cCheckpoint(c, embedding, layers(random, l, d), layers(random, l, d * d),
                layers(random, l, c.kvDim() * d), layers(random, l, c.kvDim() * d), layers(random, l, d * d),
                layers(random, l, d), layers(random, l, c.hiddenDim() * d), layers(random, l, d * c.hiddenDim()),
                layers(random, l, c.hiddenDim() * d), random(random, d),
                c.sharedClassifier() ? embedding : random(random, (long) c.vocabSize() * d));
    }

    /** Writes {@code ckpt} in the legacy layout, RoPE tables (unused by readers) included. */
    public static void writeCheckpoint(Llama2cCheckpoint ckpt, Path file) {
        Llama2cConfig c = ckpt.config();
        ByteBuffer out = ByteBuffer.allocate((int) c.fileBytes()).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(c.dim()).putInt(c.hiddenDim()).putInt(c.layers()).putInt(c.heads()).putInt(c.kvHeads())
                .putInt(c.sharedClassifier() ? c.vocabSize() : -c.vocabSize()).putInt(c.seqLen());
        put(out, ckpt.tokenEmbedding());
        for (float[][] perLayer : List.of(ckpt.attentionNorm(), ckpt.wq(), ckpt.wk(), ckpt.wv(), ckpt.wo(),
                ckpt.ffnNorm(), ckpt.w1(), ckpt.w2(), ckpt.w3())) {
            for (float[] layer : perLayer) {
                put(out, layer);
            }
        }
        put(out, ckpt.finalNorm());
        put(out, new float[c.seqLen() * c.headDim()]);
        if (!c.sharedClassifier()) {
            put(out, ckpt.classifier());
        }
        write(file, out.array());
    }

    /** Writes the fixture vocabulary as llama2.c's export does; scores fall by one per piece, best first. */
    public static void writeTokenizer(Path file) {
        List<String> pieces = new ArrayList<>(List.of("<unk>", "\n<s>\n", "\n</s>\n"));
        for (int b = 0; b < 256; b++) {
            pieces.add(String.format("<0x%02X>", b));
        }
        List<Float> scores = new ArrayList<>();
        pieces.forEach(p -> scores.add(0f));
        for (int i = 0; i < PIECES.length; i++) {
            pieces.add(PIECES[i]);
            scores.add((float) -i);
        }
        writeTokenizer(file, pieces, scores);
    }

    public static void writeTokenizer(Path file, List<String> pieces, List<Float> scores) {
        List<byte[]> encoded = pieces.stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toList();
        int maxLength = encoded.stream().mapToInt(b -> b.length).max().orElse(1);
        int size = 4 + encoded.stream().mapToInt(b -> 8 + b.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN).putInt(maxLength);
        for (int i = 0; i < encoded.size(); i++) {
            out.putFloat(scores.get(i)).putInt(encoded.get(i).length).put(encoded.get(i));
        }
        write(file, out.array());
    }

    private static float[] random(Random random, long count) {
        float[] out = new float[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = random.nextFloat() * 2 - 1;
        }
        return out;
    }

    private static float[][] layers(Random random, int layers, int perLayer) {
        float[][] out = new float[layers][];
        for (int i = 0; i < layers; i++) {
            out[i] = random(random, perLayer);
        }
        return out;
    }

    private static void put(ByteBuffer out, float[] values) {
        for (float v : values) {
            out.putFloat(v);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
