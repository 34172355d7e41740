package io.c2cstream.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextTokenizerTest {

    /**
     * A word-level tokenizer small enough to read: "<s>"=0, "</s>"=1, "<unk>"=2 (special added
     * tokens), then "hello"=3, "world"=4, "!"=5, "héllo"=6. Its post-processor would prepend "<s>" if
     * special tokens were added, which TextTokenizer must never do.
     */
    static final String WORD_LEVEL_TOKENIZER_JSON = """
            {
                "version": "1.0",
                "truncation": null,
                "padding": null,
                "added_tokens": [
                    {"id": 0, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                    {"id": 1, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                    {"id": 2, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}
                ],
                "normalizer": null,
                "pre_tokenizer": {"type": "Whitespace"},
                "post_processor": {
                    "type": "TemplateProcessing",
                    "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                    "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
                    "special_tokens": {"<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]}}
                },
                "decoder": null,
                "model": {
                    "type": "WordLevel",
                    "vocab": {"<s>": 0, "</s>": 1, "<unk>": 2, "hello": 3, "world": 4, "!": 5, "h\\u00e9llo": 6},
                    "unk_token": "<unk>"
                }
            }
            """;

    static Path writeWordLevelModel(Path dir, String tokenizerConfig) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), WORD_LEVEL_TOKENIZER_JSON);
        if (tokenizerConfig != null) {
            Files.writeString(dir.resolve("tokenizer_config.json"), tokenizerConfig);
        }
        return dir;
    }

    @TempDir Path dir;

    @Test
    void encodesWithoutAddingSpecialTokens() throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(writeWordLevelModel(dir, null))) {
            assertArrayEquals(new int[] {3, 4, 5}, tokenizer.encode("hello world!"));
            // An explicitly written special token is still recognised as one token.
            assertArrayEquals(new int[] {0, 3, 1}, tokenizer.encode("<s> hello </s>"));
            assertArrayEquals(new int[] {2}, tokenizer.encode("unknown"));
        }
    }

    @Test
    void decodesWithAndWithoutSpecialTokens() throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(writeWordLevelModel(dir, null))) {
            // Without a decoder the Rust library joins tokens with single spaces.
            assertEquals("<s> hello world </s>", tokenizer.decode(new int[] {0, 3, 4, 1}));
            assertEquals("hello world", tokenizer.decodeSkippingSpecial(new int[] {0, 3, 4, 1}));
        }
    }

    @Test
    void offsetsAreUtf16SpansOfTheInput() throws IOException {
        String text = "😀 héllo world";
        try (TextTokenizer tokenizer = TextTokenizer.load(writeWordLevelModel(dir, null))) {
            Encoding encoding = tokenizer.encodeWithOffsets(text);
            // The emoji is one code point but two UTF-16 units, so "héllo" starts at index 3.
            assertArrayEquals(new int[] {2, 6, 4}, encoding.ids());
            assertEquals("😀", text.substring(encoding.start(0), encoding.end(0)));
            assertEquals("héllo", text.substring(encoding.start(1), encoding.end(1)));
            assertEquals("world", text.substring(encoding.start(2), encoding.end(2)));
        }
    }

    @Test
    void looksUpVocabularyBothWays() throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(writeWordLevelModel(dir, null))) {
            assertEquals(7, tokenizer.vocabSize());
            assertEquals("héllo", tokenizer.idToToken(6));
            assertEquals(OptionalInt.of(5), tokenizer.tokenToId("!"));
            assertEquals(OptionalInt.empty(), tokenizer.tokenToId("absent"));
            assertThrows(IllegalArgumentException.class, () -> tokenizer.idToToken(7));
        }
    }

    @Test
    void readsNamedSpecialTokensAsStringsOrObjects() throws IOException {
        writeWordLevelModel(dir, """
                {"bos_token": {"__type": "AddedToken", "content": "<s>", "special": true},
                  "eos_token": "</s>", "pad_token": null}
                """);
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [1, 5]}");
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            SpecialTokens special = tokenizer.specialTokens();
            assertEquals(Optional.of(new SpecialTokens.Token("<s>", 0)), special.bos());
            assertEquals(Optional.of(new SpecialTokens.Token("</s>", 1)), special.eos());
            assertEquals(Optional.empty(), special.pad());
            assertEquals(Optional.empty(), special.unk());
            assertEquals(Set.of(0, 1, 2), special.specialIds());
            assertEquals(List.of(1, 5), List.copyOf(tokenizer.eosIds()));
        }
    }

    @Test
    void hasNoNamedSpecialTokensWithoutConfig() throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(writeWordLevelModel(dir, null))) {
            assertEquals(Optional.empty(), tokenizer.specialTokens().eos());
            assertTrue(tokenizer.eosIds().isEmpty());
            assertTrue(tokenizer.specialTokens().isSpecial(2));
            assertFalse(tokenizer.specialTokens().isSpecial(3));
        }
    }

    @Test
    void rejectsConfigTokenMissingFromVocabulary() throws IOException {
        writeWordLevelModel(dir, "{\"pad_token\": \"<pad>\"}");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TextTokenizer.load(dir));
        assertTrue(error.getMessage().contains("pad_token \"<pad>\""), error.getMessage());
    }

    @Test
    void namesTheMissingFile() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TextTokenizer.load(dir));
        assertTrue(error.getMessage().contains("no tokenizer.json in " + dir.toAbsolutePath()), error.getMessage());
    }

    /**
     * Llama 2's SentencePiece-style BPE in tokenizer.json form: spaces become "▁", a "▁" is
     * prepended, and characters outside the vocabulary fall back to their UTF-8 bytes {@code
     * <0x00>}..{@code <0xFF>} (ids 3..258 here).
     */
    @Test
    void sentencePieceBpeWithByteFallback() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode vocab = json.createObjectNode().put("<unk>", 0).put("<s>", 1).put("</s>", 2);
        for (int b = 0; b < 256; b++) {
            vocab.put(String.format("<0x%02X>", b), 3 + b);
        }
        vocab.put("▁", 259).put("h", 260).put("i", 261).put("▁h", 262).put("▁hi", 263);
        String tokenizer = """
                {"version": "1.0", "truncation": null, "padding": null,
                  "added_tokens": [
                      {"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                      {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                      {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
                  "normalizer": {"type": "Sequence", "normalizers": [
                      {"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]},
                  "pre_tokenizer": null, "post_processor": null,
                  "decoder": {"type": "Sequence", "decoders": [
                      {"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "ByteFallback"},
                      {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
                  "model": {"type": "BPE", "dropout": null, "unk_token": "<unk>", "continuing_subword_prefix": null,
                      "end_of_word_suffix": null, "fuse_unk": true, "byte_fallback": true, "vocab": VOCAB,
                      "merges": ["▁ h", "▁h i"]}}
                """.replace("VOCAB", vocab.toString());
        Files.writeString(dir.resolve("tokenizer.json"), tokenizer);
        try (TextTokenizer sentencePiece = TextTokenizer.load(dir)) {
            // "▁hi" merges; the second "▁" stands alone; 😀 is F0 9F 98 80 in UTF-8.
            int[] ids = {263, 259, 3 + 0xF0, 3 + 0x9F, 3 + 0x98, 3 + 0x80};
            assertArrayEquals(ids, sentencePiece.encode("hi 😀"));
            assertEquals("hi 😀", sentencePiece.decode(ids));
            assertEquals("<0xF0>", sentencePiece.idToToken(3 + 0xF0));
            assertEquals(264, sentencePiece.vocabSize());
        }
    }

    @Test
    void closeIsIdempotent() throws IOException {
        TextTokenizer tokenizer = TextTokenizer.load(writeWordLevelModel(dir, null));
        tokenizer.close();
        tokenizer.close();
    }
}
