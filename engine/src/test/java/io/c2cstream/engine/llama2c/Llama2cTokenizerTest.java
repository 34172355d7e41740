package io.c2cstream.engine.llama2c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.c2cstream.engine.checkpoint.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cTokenizerTest {
    @TempDir
    Path dir;

    private Llama2cTokenizer tokenizer;

    @BeforeEach
    void writeFixture() {
        Llama2cFixtures.writeTokenizer(dir.resolve("tok.bin"));
        tokenizer = Llama2cTokenizer.read(dir.resolve("tok.bin"));
    }

    private int[] pieces(String... pieces) {
        return Arrays.stream(pieces).mapToInt(tokenizer::lookup).toArray();
    }

    @Test
    void readsPiecesScoresAndControlIds() {
        assertEquals(Llama2cFixtures.vocabularySize(), tokenizer.vocabSize());
        assertEquals("\n<s>\n", tokenizer.piece(Llama2cTokenizer.BOS_ID));
        assertEquals("<0x41>", tokenizer.piece(Llama2cTokenizer.FIRST_BYTE_ID + 0x41));
        assertEquals(-1f, tokenizer.score(tokenizer.lookup("ab")));
        assertEquals(-1, tokenizer.lookup("zz"));
    }

    @Test
    void mergesTheBestScoringPairFirstAfterADummySpace() {
        // " a" (score 0) beats "ab" (-1); then "bc" (-2) beats " ab" (-4), and " abc" is no piece
        assertArrayEquals(pieces(" a", "bc"), tokenizer.encode("abc"));
        // both " a" are merged, leftmost first, then both " ab"
        assertArrayEquals(pieces(" ab", " ab"), tokenizer.encode("ab ab"));
        assertArrayEquals(pieces(" ", "é", "!"), tokenizer.encode("é!"));
    }

    @Test
    void unknownCodePointsFallBackToTheirUtf8Bytes() {
        int space = tokenizer.lookup(" ");
        assertArrayEquals(new int[] {space, 0xE2 + 3, 0x98 + 3, 0x83 + 3}, tokenizer.encode("☃"));
    }

    @Test
    void emptyTextHasNoTokens() {
        assertArrayEquals(new int[0], tokenizer.encode(""));
        assertEquals("", tokenizer.decode(new int[0]));
    }

    @Test
    void decodeDropsControlTokensAndTheDummySpace() {
        for (String text : List.of("abc", "  ab  c ", "☃ é", "\n")) {
            assertEquals(text, tokenizer.decode(tokenizer.encode(text)), text);
        }
        int[] withBosAndEos = pieces("\n<s>\n", " ab", "c ", "\n</s>\n");
        assertEquals("abc ", tokenizer.decode(withBosAndEos));
    }

    @Test
    void aCheckpointIsNotATokenizer() throws IOException {
        Path bin = dir.resolve("model.bin");
        Llama2cFixtures.writeCheckpoint(Llama2cFixtures.randomCheckpoint(Llama2cFixtures.tinyConfig(true), 1), bin);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Llama2cTokenizer.read(bin));
        assertTrue(e.getMessage().contains("is not a llama2.c tokenizer.bin"), e.getMessage());
    }

    @Test
    void truncatedTokenizerIsReported() throws IOException {
        Path tok = dir.resolve("tok.bin");
        byte[] bytes = Files.readAllBytes(tok);
        Files.write(tok, Arrays.copyOf(bytes, bytes.length - 2));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Llama2cTokenizer.read(tok));
        assertTrue(e.getMessage().contains("ends inside token " + (Llama2cFixtures.vocabularySize() - 1)), e.getMessage());
    }

    @Test
    void missingBytePiecesAreReported() {
        Path tok = dir.resolve("short.bin");
        Llama2cFixtures.writeTokenizer(tok, List.of("<unk>", "\n<s>\n", "\n</s>\n", "a"), List.of(0f, 0f, 0f, -1f));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Llama2cTokenizer.read(tok));
        assertTrue(e.getMessage().contains("id 3 should be the byte-fallback piece <0x00> but is 'a'"), e.getMessage());
    }
}
