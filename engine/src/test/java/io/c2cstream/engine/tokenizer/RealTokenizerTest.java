package io.c2cstream.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.c2cstream.engine.RealData;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The real Qwen3 and Llama 3 tokenizers of {@code $C2C_REALDATA/tokenizers}; expected ids are those
 * of shared/realdata/README.md, produced by Hugging Face tokenizers without special tokens.
 */
class RealTokenizerTest {

    static final String SENTENCE = "Once upon a time, 小明 went to the park.";

    @Test
    void qwen3ByteLevelBpe() {
        try (TextTokenizer qwen = TextTokenizer.load(RealData.tokenizer("qwen3"))) {
            int[] ids = qwen.encode(SENTENCE);
            assertArrayEquals(new int[] {12522, 5193, 264, 882, 11, 58230, 237, 30858, 3937, 311, 279, 6118, 13}, ids);
            assertEquals(SENTENCE, qwen.decode(ids));
            assertArrayEquals(
                    new int[] {151644, 872, 198, 6023, 151645}, qwen.encode("<|im_start|>user\nhi<|im_end|>"));
            assertEquals("user\nhi", qwen.decodeSkippingSpecial(new int[] {151644, 872, 198, 6023, 151645}));
            assertVocabularyAgreesWithEncoder(qwen, SENTENCE);
            assertOffsetsCover(qwen.encodeWithOffsets(SENTENCE), SENTENCE);
        }
    }

    @Test
    void llama3TiktokenStyleBpe() {
        try (TextTokenizer llama = TextTokenizer.load(RealData.tokenizer("llama3"))) {
            int[] ids = llama.encode(SENTENCE);
            // No <|begin_of_text|> although tokenizer.json's post-processor would add one.
            assertArrayEquals(new int[] {12805, 5304, 264, 892, 11, 103036, 31958, 4024, 311, 279, 6246, 13}, ids);
            assertEquals(SENTENCE, llama.decode(ids));
            assertVocabularyAgreesWithEncoder(llama, SENTENCE);
            assertOffsetsCover(llama.encodeWithOffsets(SENTENCE), SENTENCE);
        }
    }

    @Test
    void qwen3SpecialTokens() {
        try (TextTokenizer qwen = TextTokenizer.load(RealData.tokenizer("qwen3"))) {
            SpecialTokens special = qwen.specialTokens();
            // tokenizer_config.json: "bos_token": null, "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>".
            assertEquals(Optional.empty(), special.bos());
            assertEquals(Optional.of(new SpecialTokens.Token("<|im_end|>", 151645)), special.eos());
            assertEquals(Optional.of(new SpecialTokens.Token("<|endoftext|>", 151643)), special.pad());
            assertEquals(Optional.empty(), special.unk());
            assertEquals(Set.of(151645), qwen.eosIds());
            // 151643..151668 are added tokens; <think> (151667) and </think> (151668) are not special.
            assertEquals(151669, qwen.vocabSize());
            assertTrue(special.isSpecial(151644));
            assertFalse(special.isSpecial(151667));
            assertEquals("<think>", qwen.idToToken(151667));
        }
    }

    @Test
    void llama3SpecialTokens() {
        try (TextTokenizer llama = TextTokenizer.load(RealData.tokenizer("llama3"))) {
            SpecialTokens special = llama.specialTokens();
            assertEquals(Optional.of(new SpecialTokens.Token("<|begin_of_text|>", 128000)), special.bos());
            assertEquals(Optional.of(new SpecialTokens.Token("<|eot_id|>", 128009)), special.eos());
            assertEquals(Optional.empty(), special.pad());
            assertEquals(128256, llama.vocabSize());
            assertEquals(256, special.specialIds().size());
            assertEquals("<|begin_of_text|>Hello", llama.decode(new int[] {128000, 9906}));
            assertEquals("Hello", llama.decodeSkippingSpecial(new int[] {128000, 9906}));
        }
    }

    /** Every added token encodes to its own id, and encoded ids map back to the vocabulary strings. */
    private void assertVocabularyAgreesWithEncoder(TextTokenizer tokenizer, String text) {
        for (int id : tokenizer.specialTokens().specialIds()) {
            assertArrayEquals(new int[] {id}, tokenizer.encode(tokenizer.idToToken(id)), "added token " + id);
        }
        for (int id : tokenizer.encode(text)) {
            assertEquals(OptionalInt.of(id), tokenizer.tokenToId(tokenizer.idToToken(id)));
        }
    }

    /** Spans stay inside the text, never run backwards and together cover all of it. */
    private void assertOffsetsCover(Encoding encoding, String text) {
        int covered = 0;
        for (int i = 0; i < encoding.size(); i++) {
            assertTrue(encoding.start(i) <= encoding.end(i), "span " + i + " of " + encoding);
            assertTrue(encoding.start(i) <= covered, "gap before token " + i + " of " + encoding);
            assertTrue(i == 0 || encoding.start(i) >= encoding.start(i - 1), "start order at " + i);
            covered = Math.max(covered, encoding.end(i));
        }
        assertEquals(text.length(), covered);
    }
}
