package io.c2cstream.engine.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.c2cstream.engine.align.PromptSection.Kind;
import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.engine.tokenizer.ChatTemplate;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worked examples of method §10.7, with the toy tokenizers R (receiver) and S (sharer). */
class ChatAlignerTest {

    @TempDir static Path dir;

    private static TextTokenizer r;
    private static TextTokenizer s;
    private static ChatTemplate rTemplate;
    private static ChatTemplate sTemplate;

    @BeforeAll
    static void loadToyTokenizers() throws Exception {
        Path rDir = ToyTokenizers.receiver(Files.createDirectory(dir.resolve("r")));
        Path sDir = ToyTokenizers.sharer(Files.createDirectory(dir.resolve("s")));
        r = TextTokenizer.load(rDir);
        s = TextTokenizer.load(sDir);
        rTemplate = ChatTemplate.fromTokenizerConfig(rDir).orElseThrow();
        sTemplate = ChatTemplate.fromTokenizerConfig(sDir).orElseThrow();
    }

    @AfterAll
    static void close() {
        r.close();
        s.close();
    }

    private static final List<ChatMessage> EXAMPLE_1 = List.of(ChatMessage.user("Hi unbelievable cats!"));
    private static final List<ChatMessage> EXAMPLE_2 =
            List.of(ChatMessage.user("Why?"), ChatMessage.assistant("Because wonderful"));

    @Test
    void example1Longest() {
        AlignedPrompt aligned = aligner(AlignmentStrategy.LONGEST).align(EXAMPLE_1, true);
        assertArrayEquals(ids(r, "<|user|>", "<|pad|>", "Hi", " unbelievable", " cats", "!", "<|end|>", "<|asst|>"),
                aligned.receiverIds());
        assertArrayEquals(ids(s, "<s>", "<U>", "Hi", "nbel", "ats", "!", "</u>", "<A>"), aligned.sharerIds());
        assertArrayEquals(mask(0, 0, 1, 1, 1, 1, 0, 0), aligned.messageMask());
        assertArrayEquals(mask(0, 1, 0, 0, 0, 0, 0, 0), aligned.receiverPadding());
        assertArrayEquals(mask(0, 0, 0, 0, 0, 0, 0, 0), aligned.sharerPadding());
        assertEquals(List.of(template(0, 2), message(2, 6), template(6, 8)), aligned.sections());
        // kv index [-1 x 2], [1 x 4], [-1 x 2]
        assertEquals(List.of(new FusionSection(0, 2, false), new FusionSection(2, 6, true),
                new FusionSection(6, 8, false)), aligned.inferenceSections());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, aligned.positions());
    }

    @Test
    void example1First() {
        AlignedPrompt aligned = aligner(AlignmentStrategy.FIRST).align(EXAMPLE_1, true);
        assertArrayEquals(ids(r, "<|user|>", "<|pad|>", "Hi", " unbelievable", " cats", "!", "<|end|>", "<|asst|>"),
                aligned.receiverIds());
        assertArrayEquals(ids(s, "<s>", "<U>", "Hi", " u", " c", "!", "</u>", "<A>"), aligned.sharerIds());
    }

    @Test
    void example2Longest() {
        AlignedPrompt aligned = aligner(AlignmentStrategy.LONGEST).align(EXAMPLE_2, false);
        assertArrayEquals(ids(r, "<|user|>", "<|pad|>", "Why", "?", "<|end|>", "<|asst|>", "Because", " wonderful",
                "<|end|>"), aligned.receiverIds());
        assertArrayEquals(ids(s, "<s>", "<U>", "Wh", "?", "</u>", "<A>", "caus", "onde", "</u>"), aligned.sharerIds());
        assertArrayEquals(mask(0, 0, 1, 1, 0, 0, 1, 1, 0), aligned.messageMask());
        assertArrayEquals(mask(0, 1, 0, 0, 0, 0, 0, 0, 0), aligned.receiverPadding());
        assertArrayEquals(mask(0, 0, 0, 0, 0, 0, 0, 0, 0), aligned.sharerPadding());
        assertEquals(List.of(template(0, 2), message(2, 4), template(4, 6), message(6, 8), template(8, 9)),
                aligned.sections());
        assertEquals(6, aligned.instructionEnd());
        // training kv index [-1, -1, 1, 1, -1, -1, -1, -1, -1]
        assertArrayEquals(mask(0, 0, 1, 1, 0, 0, 0, 0, 0), aligned.trainingFusionMask());
    }

    @Test
    void example2First() {
        AlignedPrompt aligned = aligner(AlignmentStrategy.FIRST).align(EXAMPLE_2, false);
        assertArrayEquals(ids(s, "<s>", "<U>", "Wh", "?", "</u>", "<A>", "Be", " w", "</u>"), aligned.sharerIds());
    }

    @Test
    void longerReceiverTemplateSectionsPadTheSharer() {
        // With S as receiver and R as sharer the first template section is <s><U> against <|user|>.
        AlignedPrompt aligned = new ChatAligner(new TokenAligner(s, r, AlignmentStrategy.LONGEST), sTemplate,
                rTemplate).align(List.of(ChatMessage.user("Hi")), true);
        assertArrayEquals(ids(r, "<|user|>", "<|pad|>", "Hi", "<|end|>", "<|asst|>"), aligned.sharerIds());
        assertArrayEquals(mask(0, 1, 0, 0, 0), aligned.sharerPadding());
        assertArrayEquals(mask(0, 0, 0, 0, 0), aligned.receiverPadding());
    }

    @Test
    void emptyMessagesAreTemplateText() {
        AlignedPrompt aligned = aligner(AlignmentStrategy.LONGEST)
                .align(List.of(ChatMessage.user(""), ChatMessage.assistant("Hi")), false);
        // R: <|user|><|end|><|asst|> | Hi | <|end|>;  S: <s><U></u><A> | Hi | </u>
        assertEquals(List.of(template(0, 4), message(4, 5), template(5, 6)), aligned.sections());
        assertArrayEquals(mask(0, 0, 0, 1, 0, 0), aligned.receiverPadding());
    }

    @Test
    void contentATemplateRewritesIsReportedAsASectionMismatch() {
        ChatTemplate trimming = ChatTemplate.of(
                "<s>{% for m in messages %}<U>{{ m.content | trim }}</u>{% endfor %}", Map.of());
        ChatAligner aligner = new ChatAligner(new TokenAligner(r, s, AlignmentStrategy.LONGEST), rTemplate, trimming);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> aligner.align(List.of(ChatMessage.user("Hi ")), false));
        assertTrue(e.getMessage().contains("not found verbatim"), e.getMessage());
    }

    @Test
    void aTokenizerWithoutPadOrEosCannotBeAligned() throws Exception {
        Path bare = ToyTokenizers.receiver(Files.createDirectory(dir.resolve("bare")), Map.of());
        try (TextTokenizer noPad = TextTokenizer.load(bare)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ChatAligner(new TokenAligner(noPad, s, AlignmentStrategy.FIRST), rTemplate, sTemplate));
            assertTrue(e.getMessage().contains("pad_token"), e.getMessage());
        }
    }

    private static ChatAligner aligner(AlignmentStrategy strategy) {
        return new ChatAligner(new TokenAligner(r, s, strategy), rTemplate, sTemplate);
    }

    private static PromptSection template(int start, int end) {
        return new PromptSection(Kind.TEMPLATE, start, end);
    }

    private static PromptSection message(int start, int end) {
        return new PromptSection(Kind.MESSAGE, start, end);
    }

    /** Ids of vocabulary strings. */
    static int[] ids(TextTokenizer tokenizer, String... tokens) {
        int[] ids = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            ids[i] = tokenizer.tokenToId(token).orElseThrow(() -> new AssertionError("no token " + token));
        }
        return ids;
    }

    static boolean[] mask(int... bits) {
        boolean[] mask = new boolean[bits.length];
        for (int i = 0; i < bits.length; i++) {
            mask[i] = bits[i] == 1;
        }
        return mask;
    }
}
