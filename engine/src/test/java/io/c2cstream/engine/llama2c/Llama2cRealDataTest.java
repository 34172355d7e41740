package io.c2cstream.engine.llama2c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.c2cstream.engine.RealData;
import io.c2cstream.engine.checkpoint.HfCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Imports the real llama2.c models of C2C_REALDATA; skipped where that variable is not set. */
class Llama2cRealDataTest {
    private static final List<String> TEXTS = List.of(
            "",
            "Once upon a time, there was a little girl named Lily.",
            "She loved to play outside in the park. One day, she saw a big, red ball.",
            "The AI dreamed of electric sheep and neural networks.",
            "Hello, world!",
            "What's up? (Nothing much...) \"quoted\" - dash; colon: [brackets] {braces}",
            "1234567890 3.14159 -42 1e-5 100%",
            "小明 café ☃",
            "naïve façade résumé über Ελληνικά русский 日本語 🙂",
            " leading space",
            "trailing space ",
            "  two   spaces    between   ",
            " ",
            "   ",
            "line one\nline two\n\nline four",
            "\ttab\tseparated\r\nwindows line",
            "ilili family similarity ability possibility",
            "aaaaaaaaaaaaaaaa bbbbbbbbbb",
            "The quick brown fox jumps over the lazy dog.",
            "<0x41> looks like a byte piece but is text",
            "don't won't can't I'm you're it's");

    @TempDir
    Path out;

    private static Path model(String name) {
        return RealData.resolve("models/" + name);
    }

    private Llama2cImporter.Result importModel(String name) {
        Path dir = model(name);
        return Llama2cImporter.importModel(dir.resolve(name + ".bin"), dir.resolve("tok512.bin"), out.resolve(name));
    }

    @ParameterizedTest
    @CsvSource({"stories260K, 64, 172, 5, 8, 4, 512, 512", "aidreams260K, 64, 172, 4, 4, 4, 512, 128"})
    void importsWithTheDocumentedGeometry(String name, int dim, int hidden, int layers, int heads, int kvHeads,
                                          int vocab, int seqLen) {
        Llama2cImporter.Result result = importModel(name);
        assertEquals(new Llama2cConfig(dim, hidden, layers, heads, kvHeads, vocab, seqLen, true), result.config());
        assertEquals(2 + 9 * layers, result.tensors());
        try (HfCheckpoint hf = HfCheckpoint.open(result.dir())) {
            assertTrue(hf.config().path("tie_word_embeddings").asBoolean());
            assertEquals(dim / heads, hf.config().path("head_dim").asInt());
            hf.read("model.layers.0.self_attn.k_proj.weight", (long) kvHeads * dim / heads, dim); // checks the shape
            assertFalse(hf.has("lm_head.weight"));
        }
    }

    @ParameterizedTest
    @CsvSource({"stories260K", "aidreams260K"})
    void hfTokenizerEncodesAndDecodesExactlyLikeLlama2c(String name) throws IOException {
        Llama2cImporter.Result result = importModel(name);
        Llama2cTokenizer reference = Llama2cTokenizer.read(model(name).resolve("tok512.bin"));
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(result.dir())) {
            for (String text : TEXTS) {
                assertSameIds(reference, hf, text);
                long[] ids = Arrays.stream(reference.encode(text)).asLongStream().toArray();
                assertEquals(text, hf.decode(ids), "Hugging Face decode of " + text);
                assertEquals(text, reference.decode(reference.encode(text)), "llama2.c decode of " + text);
            }
            for (String text : randomTexts(reference, 500)) {
                assertSameIds(reference, hf, text);
            }
        }
    }

    private static void assertSameIds(Llama2cTokenizer reference, HuggingFaceTokenizer hf, String text) {
        long[] expected = Arrays.stream(reference.encode(text)).asLongStream().toArray();
        assertArrayEquals(expected, hf.encode(text, false, false).getIds(), () -> "ids of '" + text + "'");
    }

    /** Runs of the vocabulary's own pieces, so that many merges compete, mixed with spaces and unknown characters. */
    private static List<String> randomTexts(Llama2cTokenizer tokenizer, int count) {
        Random random = new Random(2024);
        String extras = "  \n☃é小,.!?";
        return random.ints(count, 1, 16).mapToObj(length -> {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                if (random.nextInt(5) == 0) {
                    text.append(extras.charAt(random.nextInt(extras.length())));
                } else {
                    text.append(tokenizer.piece(Llama2cTokenizer.FIRST_BYTE_ID + 256
                            + random.nextInt(tokenizer.vocabSize() - Llama2cTokenizer.FIRST_BYTE_ID - 256)));
                }
            }
            return text.toString();
        }).toList();
    }

    @Test
    void theTwoModelsHaveDifferentVocabularies() {
        Llama2cTokenizer stories = Llama2cTokenizer.read(model("stories260K").resolve("tok512.bin"));
        Llama2cTokenizer aidreams = Llama2cTokenizer.read(model("aidreams260K").resolve("tok512.bin"));
        String text = "Once upon a time, the network dreamed.";
        assertFalse(Arrays.equals(stories.encode(text), aidreams.encode(text)));
        assertEquals(text, stories.decode(stories.encode(text)));
        assertEquals(text, aidreams.decode(aidreams.encode(text)));
    }
}
