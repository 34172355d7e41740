package io.c2cstream.engine.align;

import static io.c2cstream.engine.align.ChatAlignerTest.ids;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c2cstream.engine.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-token mapping of method §3.1, with the toy tokenizers of §10.7. */
class TokenAlignerTest {

    @TempDir static Path dir;

    private static TextTokenizer r;
    private static TextTokenizer s;

    @BeforeAll
    static void loadToyTokenizers() throws Exception {
        r = TextTokenizer.load(ToyTokenizers.receiver(Files.createDirectory(dir.resolve("r"))));
        s = TextTokenizer.load(ToyTokenizers.sharer(Files.createDirectory(dir.resolve("s"))));
    }

    @AfterAll
    static void close() {
        r.close();
        s.close();
    }

    @Test
    void oneSharerTokenPerReceiverToken() {
        int[] receiver = ids(r, "Hi", " unbelievable", " cats", "!", "Because", " wonderful");
        // " unbelievable" → " u" nbel ie vabl e; " cats" → " c" ats; "Because" → Be caus e;
        // " wonderful" → " w" onde rf ul
        assertArrayEquals(ids(s, "Hi", "nbel", "ats", "!", "caus", "onde"),
                new TokenAligner(r, s, AlignmentStrategy.LONGEST).align(receiver));
        assertArrayEquals(ids(s, "Hi", " u", " c", "!", "Be", " w"),
                new TokenAligner(r, s, AlignmentStrategy.FIRST).align(receiver));
    }

    @Test
    void longestKeepsTheEarliestOfEquallyLongCandidates() {
        // "nbel" and "vabl" both have 4 code points: the first wins.
        assertArrayEquals(ids(s, "nbel"),
                new TokenAligner(r, s, AlignmentStrategy.LONGEST).align(ids(r, " unbelievable")));
    }

    @Test
    void memoisedResultsAreNotShared() {
        TokenAligner aligner = new TokenAligner(r, s, AlignmentStrategy.LONGEST);
        int[] first = aligner.align(ids(r, "Hi", "!"));
        first[0] = -1;
        assertArrayEquals(ids(s, "Hi", "!"), aligner.align(ids(r, "Hi", "!")));
    }

    @Test
    void specialTokensMapByRole() {
        assertArrayEquals(ids(s, "<pad>"), new TokenAligner(r, s, AlignmentStrategy.FIRST).align(ids(r, "<|pad|>")));
    }

    @Test
    void specialTokensWithoutRoleMapBySpelling() {
        assertArrayEquals(ids(r, "<|user|>", "<|end|>"),
                new TokenAligner(r, r, AlignmentStrategy.FIRST).align(ids(r, "<|user|>", "<|end|>")));
    }

    @Test
    void unmatchedSpecialTokensFallBackToTheSharerUnkOrZero() throws Exception {
        // S declares no unk: id 0, as for Qwen and Llama 3 sharers.
        assertArrayEquals(new int[] {0}, new TokenAligner(r, s, AlignmentStrategy.FIRST).align(ids(r, "<|user|>")));
        Path withUnk = ToyTokenizers.sharer(Files.createDirectory(dir.resolve("s-unk")),
                Map.of("pad_token", "<pad>", "unk_token", "<A>"));
        try (TextTokenizer sharer = TextTokenizer.load(withUnk)) {
            assertArrayEquals(ids(sharer, "<A>"),
                    new TokenAligner(r, sharer, AlignmentStrategy.FIRST).align(ids(r, "<|user|>")));
        }
    }

    @Test
    void theLaterRoleWinsEvenWithoutASharerToken() throws Exception {
        // R without a pad pads with its eos <|end|>: the pad role maps it to S's <pad>, then the eos
        // role overrides that with S's eos, which S lacks, so the spelling lookup decides: no "<|end|>"
        // in S, hence id 0.
        Path eosOnly = ToyTokenizers.receiver(Files.createDirectory(dir.resolve("r-eos")),
                Map.of("eos_token", "<|end|>"));
        try (TextTokenizer receiver = TextTokenizer.load(eosOnly)) {
            assertArrayEquals(new int[] {0},
                    new TokenAligner(receiver, s, AlignmentStrategy.FIRST).align(ids(receiver, "<|end|>")));
            Path sharerWithEos = ToyTokenizers.sharer(Files.createDirectory(dir.resolve("s-eos")),
                    Map.of("pad_token", "<pad>", "eos_token", "</u>"));
            try (TextTokenizer sharer = TextTokenizer.load(sharerWithEos)) {
                assertArrayEquals(ids(sharer, "</u>"),
                        new TokenAligner(receiver, sharer, AlignmentStrategy.FIRST).align(ids(receiver, "<|end|>")));
            }
        }
    }

    @Test
    void strategiesParseAsConfigsSpellThem() {
        assertEquals(AlignmentStrategy.LONGEST, AlignmentStrategy.parse("longest"));
        assertEquals(AlignmentStrategy.FIRST, AlignmentStrategy.parse("FIRST"));
        assertThrows(IllegalArgumentException.class, () -> AlignmentStrategy.parse("shortest"));
    }
}
