package io.c2cstream.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.c2cstream.engine.RealData;
import io.c2cstream.engine.llama2c.Llama2cImporter;
import io.c2cstream.engine.model.TransformerModel;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real pretrained llama2.c models, imported to the Hugging Face layout and run through the normal path. */
class RealLlama2cGenerationTest {
    /** Greedy output of the reference C implementation for stories260K from BOS (realdata README). */
    private static final String STORIES_REFERENCE = "Once upon a time, there was a little girl named Lily. She loved to"
            + " play outside in the park. One day, she saw a big, red ball. She wanted to play with it, but it was"
            + " too high.";
    private static final int BOS = 1;
    private static final int EOS = 2;

    @TempDir
    Path out;

    private Path importModel(String name) {
        Path dir = RealData.resolve("models/" + name);
        Llama2cImporter.importModel(dir.resolve(name + ".bin"), dir.resolve("tok512.bin"), out);
        return out;
    }

    @Test
    void stories260kGreedyFromBosReproducesTheReferenceImplementation() {
        Path model = importModel("stories260K");
        try (TransformerModel transformer = TransformerModel.load(model); TextTokenizer tokenizer = TextTokenizer.load(model)) {
            Generator generator = new Generator(transformer, tokenizer::decodeSkippingSpecial, 0);
            Generation g = generator.generate(new int[] {BOS}, SamplingConfig.greedy(200, Set.of(EOS)));
            assertTrue(g.text().startsWith(STORIES_REFERENCE), "generated: " + g.text());
        }
    }

    @Test
    void aidreams260kRunsWithItsOwnVocabulary() {
        Path model = importModel("aidreams260K");
        try (TransformerModel transformer = TransformerModel.load(model); TextTokenizer tokenizer = TextTokenizer.load(model)) {
            assertEquals(4, transformer.config().numLayers());
            Generator generator = new Generator(transformer, tokenizer::decodeSkippingSpecial, 0);
            Generation g = generator.generate(tokenizer.encode("The machine"), SamplingConfig.greedy(40, Set.of(EOS)));
            assertFalse(g.text().isBlank(), "aidreams generated nothing");
            for (int id : g.tokens()) {
                assertTrue(id >= 0 && id < 512, "token " + id + " outside the 512-token vocabulary");
            }
            // Its own tokenizer round-trips what it wrote.
            assertEquals(g.text(), tokenizer.decodeSkippingSpecial(tokenizer.encode(g.text())));
        }
    }
}
