package io.c2cstream.engine.llama2c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.c2cstream.engine.checkpoint.CheckpointException;
import io.c2cstream.engine.checkpoint.HfCheckpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Llama2cImporterTest {
    @TempDir
    Path dir;

    private Llama2cCheckpoint writeFixture(boolean sharedClassifier) {
        Llama2cCheckpoint ckpt = Llama2cFixtures.randomCheckpoint(Llama2cFixtures.tinyConfig(sharedClassifier), 42);
        Llama2cFixtures.writeCheckpoint(ckpt, dir.resolve("model.bin"));
        Llama2cFixtures.writeTokenizer(dir.resolve("tok.bin"));
        return ckpt;
    }

    private Llama2cImporter.Result importFixture() {
        return Llama2cImporter.importModel(dir.resolve("model.bin"), dir.resolve("tok.bin"), dir.resolve("hf"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writesHfLlamaTensorsAndConfig(boolean shared) throws IOException {
        Llama2cCheckpoint src = writeFixture(shared);
        Llama2cImporter.Result result = importFixture();
        Llama2cConfig c = src.config();
        assertEquals(c, Llama2cCheckpoint.read(dir.resolve("model.bin")).config());
        assertEquals(2 + 9 * c.layers() + (shared ? 0 : 1), result.tensors());

        try (HfCheckpoint hf = HfCheckpoint.open(dir.resolve("hf"))) {
            JsonNode config = hf.config();
            assertEquals("llama", config.path("model_type").asText());
            assertEquals("LlamaForCausalLM", config.path("architectures").path(0).asText());
            assertEquals(shared, config.path("tie_word_embeddings").asBoolean());
            assertEquals(16, config.path("hidden_size").asInt());
            assertEquals(24, config.path("intermediate_size").asInt());
            assertEquals(2, config.path("num_attention_heads").asInt());
            assertEquals(1, config.path("num_key_value_heads").asInt());
            assertEquals(8, config.path("head_dim").asInt());
            assertEquals(8, config.path("max_position_embeddings").asInt());
            assertEquals(c.vocabSize(), config.path("vocab_size").asInt());

            Set<String> expected = new HashSet<>(List.of("model.embed_tokens.weight", "model.norm.weight"));
            for (int i = 0; i < c.layers(); i++) {
                for (String t : List.of("input_layernorm", "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
                        "self_attn.o_proj", "post_attention_layernorm", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")) {
                    expected.add("model.layers." + i + "." + t + ".weight");
                }
            }
            if (!shared) {
                expected.add("lm_head.weight");
                assertArrayEquals(src.classifier(), hf.read("lm_head.weight", c.vocabSize(), 16));
            }
            assertEquals(expected, hf.tensorNames());

            assertArrayEquals(src.tokenEmbedding(), hf.read("model.embed_tokens.weight", c.vocabSize(), 16));
            assertArrayEquals(src.finalNorm(), hf.read("model.norm.weight", 16));
            String l1 = "model.layers.1.";
            assertArrayEquals(src.attentionNorm()[1], hf.read(l1 + "input_layernorm.weight", 16));
            assertArrayEquals(src.ffnNorm()[1], hf.read(l1 + "post_attention_layernorm.weight", 16));
            assertArrayEquals(src.wv()[1], hf.read(l1 + "self_attn.v_proj.weight", 8, 16));
            assertArrayEquals(src.wo()[1], hf.read(l1 + "self_attn.o_proj.weight", 16, 16));
            assertArrayEquals(src.w1()[1], hf.read(l1 + "mlp.gate_proj.weight", 24, 16));
            assertArrayEquals(src.w3()[1], hf.read(l1 + "mlp.up_proj.weight", 24, 16));
            assertArrayEquals(src.w2()[1], hf.read(l1 + "mlp.down_proj.weight", 16, 24));
        }
        JsonNode generation = new ObjectMapper().readTree(dir.resolve("hf/generation_config.json").toFile());
        assertEquals(1, generation.path("bos_token_id").asInt());
        assertEquals(2, generation.path("eos_token_id").asInt());
    }

    /**
     * The permuted q/k rows must give the same attention logits under Hugging Face's rotate-halves RoPE as the
     * original rows under llama2.c's rotate-adjacent-pairs RoPE, for every head and its key/value head.
     */
    @Test
    void ropePermutationKeepsAttentionLogits() {
        Llama2cCheckpoint src = writeFixture(true);
        importFixture();
        Llama2cConfig c = src.config();
        int hd = c.headDim();
        Random random = new Random(7);
        float[] x = new float[c.dim()];
        float[] y = new float[c.dim()];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat() * 2 - 1;
            y[i] = random.nextFloat() * 2 - 1;
        }
        int queryPos = 5;
        int keyPos = 3;
        try (HfCheckpoint hf = HfCheckpoint.open(dir.resolve("hf"))) {
            for (int layer = 0; layer < c.layers(); layer++) {
                String p = "model.layers." + layer + ".self_attn.";
                float[] qPairs = rotateAdjacentPairs(matVec(src.wq()[layer], x), hd, queryPos);
                float[] kPairs = rotateAdjacentPairs(matVec(src.wk()[layer], y), hd, keyPos);
                float[] qHalves = rotateHalves(matVec(hf.read(p + "q_proj.weight", 16, 16), x), hd, queryPos);
                float[] kHalves = rotateHalves(matVec(hf.read(p + "k_proj.weight", 8, 16), y), hd, keyPos);
                assertFalse(Arrays.equals(qPairs, qHalves), "the rows must have moved");
                for (int head = 0; head < c.heads(); head++) {
                    int kvHead = head / (c.heads() / c.kvHeads());
                    double expected = dot(qPairs, head * hd, kPairs, kvHead * hd, hd);
                    double actual = dot(qHalves, head * hd, kHalves, kvHead * hd, hd);
                    assertEquals(expected, actual, 1e-4, "layer " + layer + " head " + head);
                }
            }
        }
    }

    private static float[] matVec(float[] w, float[] x) {
        float[] out = new float[w.length / x.length];
        for (int r = 0; r < out.length; r++) {
            for (int col = 0; col < x.length; col++) {
                out[r] += w[r * x.length + col] * x[col];
            }
        }
        return out;
    }

    /** run.c: pair (2j, 2j+1) of each head turns by pos * 10000^(-2j/hd). */
    private static float[] rotateAdjacentPairs(float[] v, int hd, int pos) {
        float[] out = v.clone();
        for (int i = 0; i < v.length; i += 2) {
            double angle = pos * Math.pow(10000, -(double) (i % hd) / hd);
            out[i] = (float) (v[i] * Math.cos(angle) - v[i + 1] * Math.sin(angle));
            out[i + 1] = (float) (v[i] * Math.sin(angle) + v[i + 1] * Math.cos(angle));
        }
        return out;
    }

    /** Hugging Face: v * cos + rotate_half(v) * sin, element j and j + hd/2 sharing frequency j. */
    private static float[] rotateHalves(float[] v, int hd, int pos) {
        float[] out = v.clone();
        int half = hd / 2;
        for (int base = 0; base < v.length; base += hd) {
            for (int j = 0; j < half; j++) {
                double angle = pos * Math.pow(10000, -2.0 * j / hd);
                float a = v[base + j];
                float b = v[base + j + half];
                out[base + j] = (float) (a * Math.cos(angle) - b * Math.sin(angle));
                out[base + j + half] = (float) (b * Math.cos(angle) + a * Math.sin(angle));
            }
        }
        return out;
    }

    private static double dot(float[] a, int aFrom, float[] b, int bFrom, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += a[aFrom + i] * b[bFrom + i];
        }
        return sum;
    }

    @Test
    void hfTokenizerEncodesAndDecodesLikeLlama2c() throws IOException {
        writeFixture(true);
        importFixture();
        Llama2cTokenizer reference = Llama2cTokenizer.read(dir.resolve("tok.bin"));
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(dir.resolve("hf"))) {
            for (String text : List.of("", "abc", "ab ab", "  ilili abcab!", "é☃\n", "c  c ", "lilil")) {
                long[] ids = Arrays.stream(reference.encode(text)).asLongStream().toArray();
                assertArrayEquals(ids, hf.encode(text, false, false).getIds(), text);
                assertEquals(text, hf.decode(ids), text);
            }
            long[] withBos = hf.encode("abc").getIds();
            assertEquals(Llama2cTokenizer.BOS_ID, withBos[0], "add_bos_token: the post-processor prepends <s>");
        }
        JsonNode config = new ObjectMapper().readTree(dir.resolve("hf/tokenizer_config.json").toFile());
        assertTrue(config.path("add_bos_token").asBoolean());
        assertEquals("<s>", config.path("bos_token").asText());
        assertTrue(config.path("chat_template").isMissingNode(), "llama2.c models have no chat template");
    }

    @Test
    void truncatedCheckpointIsReported() throws IOException {
        writeFixture(true);
        Path bin = dir.resolve("model.bin");
        byte[] bytes = Files.readAllBytes(bin);
        Files.write(bin, Arrays.copyOf(bytes, bytes.length - 4));
        CheckpointException e = assertThrows(CheckpointException.class, this::importFixture);
        assertTrue(e.getMessage().contains("the file is truncated"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("hf")), "nothing is written for a bad input");
    }

    @Test
    void otherFormatsAreReported() throws IOException {
        writeFixture(false);
        Path bin = dir.resolve("model.bin");
        byte[] bytes = Files.readAllBytes(bin);
        Files.write(bin, Arrays.copyOf(bytes, bytes.length + 4));
        CheckpointException longer = assertThrows(CheckpointException.class, () -> Llama2cCheckpoint.read(bin));
        assertTrue(longer.getMessage().contains("is not a llama2.c legacy checkpoint"), longer.getMessage());

        byte[] versionedHeader = Arrays.copyOf("24ka".getBytes(StandardCharsets.US_ASCII), 28); // 0x616b3432 LE
        Files.write(bin, versionedHeader);
        CheckpointException versioned = assertThrows(CheckpointException.class, () -> Llama2cCheckpoint.read(bin));
        assertTrue(versioned.getMessage().contains("export.py --version 0"), versioned.getMessage());

        Files.write(bin, "not a model at all, just some text".getBytes(StandardCharsets.US_ASCII));
        CheckpointException text = assertThrows(CheckpointException.class, () -> Llama2cCheckpoint.read(bin));
        assertTrue(text.getMessage().contains("does not describe a Llama model"), text.getMessage());
    }

    @Test
    void tokenizerOfAnotherVocabularySizeIsRefused() {
        writeFixture(true);
        Llama2cFixtures.writeTokenizer(dir.resolve("tok.bin"), List.of("<unk>"), List.of(0f));
        assertThrows(CheckpointException.class, this::importFixture);
        Llama2cFixtures.writeCheckpoint(Llama2cFixtures.randomCheckpoint(
                new Llama2cConfig(16, 24, 1, 2, 1, 300, 8, true), 1), dir.resolve("model.bin"));
        Llama2cFixtures.writeTokenizer(dir.resolve("tok.bin"));
        CheckpointException e = assertThrows(CheckpointException.class, this::importFixture);
        assertTrue(e.getMessage().contains("pass the tokenizer the model was trained with"), e.getMessage());
    }

    @Test
    void nonEmptyOutputDirectoryIsRefused() throws IOException {
        writeFixture(true);
        Files.createDirectories(dir.resolve("hf"));
        Files.writeString(dir.resolve("hf/model.safetensors.index.json"), "{}");
        CheckpointException e = assertThrows(CheckpointException.class, this::importFixture);
        assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
    }
}
