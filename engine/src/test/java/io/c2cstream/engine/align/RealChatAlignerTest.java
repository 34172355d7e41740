package io.c2cstream.engine.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.c2cstream.engine.RealData;
import io.c2cstream.engine.align.ContentLocator.Span;
import io.c2cstream.engine.align.PromptSection.Kind;
import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.engine.tokenizer.ChatTemplate;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Chat prompts aligned between the real Qwen3 and Llama 3 tokenizers of {@code
 * $C2C_REALDATA/tokenizers}, in both directions: the invariants of method §3.2 on conversations of
 * one and several turns, ASCII and not.
 */
class RealChatAlignerTest {

    /** One model as the aligner sees it. */
    private record Model(TextTokenizer tokenizer, ChatTemplate template) {}

    private static Model qwen;
    private static Model llama;

    @BeforeAll
    static void load() {
        qwen = load("qwen3");
        llama = load("llama3");
    }

    private static Model load(String name) {
        Path dir = RealData.tokenizer(name);
        return new Model(TextTokenizer.load(dir), ChatTemplate.fromTokenizerConfig(dir).orElseThrow());
    }

    @AfterAll
    static void close() {
        for (Model model : Arrays.asList(qwen, llama)) {
            if (model != null) {
                model.tokenizer().close();
            }
        }
    }

    static List<List<ChatMessage>> conversations() {
        return List.of(
                List.of(ChatMessage.user("What is the capital of France? Answer in one word.")),
                List.of(ChatMessage.system("You are a concise assistant."),
                        ChatMessage.user("Name a prime number."),
                        ChatMessage.assistant("Seven is prime."),
                        ChatMessage.user("And an even one?")),
                List.of(ChatMessage.user(
                        "Once upon a time, 小明 went to the park. Café ☕ naïve — “quotes”.")));
    }

    @ParameterizedTest
    @MethodSource("conversations")
    void qwen3ReceiverLlama3Sharer(List<ChatMessage> messages) {
        AlignedPrompt aligned = checkAlignment(qwen, llama, messages);
        // Qwen3 pads with <|endoftext|>; Llama 3 has no pad token and pads with its eos <|eot_id|>.
        assertPadIds(aligned.receiverIds(), aligned.receiverPadding(), 151643);
        assertPadIds(aligned.sharerIds(), aligned.sharerPadding(), 128009);
        // The trailing template, which the receiver processes alone, is Qwen3's non-thinking generation
        // prompt.
        PromptSection last = aligned.sections().get(aligned.sections().size() - 1);
        assertEquals("<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
                qwen.tokenizer().decode(unpadded(aligned.receiverIds(), aligned.receiverPadding(), last)));
    }

    @ParameterizedTest
    @MethodSource("conversations")
    void llama3ReceiverQwen3Sharer(List<ChatMessage> messages) {
        checkAlignment(llama, qwen, messages);
    }

    /** Aligns {@code messages} with a generation prompt and checks the invariants of §3.2. */
    private static AlignedPrompt checkAlignment(Model receiver, Model sharer, List<ChatMessage> messages) {
        TokenAligner tokens = new TokenAligner(receiver.tokenizer(), sharer.tokenizer(), AlignmentStrategy.LONGEST);
        AlignedPrompt aligned = new ChatAligner(tokens, receiver.template(), sharer.template()).align(messages, true);
        int n = aligned.length();
        int[] receiverIds = aligned.receiverIds();
        int[] sharerIds = aligned.sharerIds();
        boolean[] messageMask = aligned.messageMask();
        boolean[] receiverPadding = aligned.receiverPadding();
        boolean[] sharerPadding = aligned.sharerPadding();
        assertEquals(n, sharerIds.length);
        assertEquals(n, messageMask.length);
        assertArrayEquals(IntStream.range(0, n).toArray(), aligned.positions());

        // Sections tile the sequence, alternate, and start and end with template text.
        List<PromptSection> sections = aligned.sections();
        assertEquals(Kind.TEMPLATE, sections.get(0).kind());
        assertEquals(Kind.TEMPLATE, sections.get(sections.size() - 1).kind());
        int at = 0;
        for (int i = 0; i < sections.size(); i++) {
            PromptSection section = sections.get(i);
            assertEquals(at, section.start());
            assertTrue(i == 0 || section.kind() != sections.get(i - 1).kind());
            for (int p = section.start(); p < section.end(); p++) {
                assertEquals(section.kind() == Kind.MESSAGE, messageMask[p]);
            }
            at = section.end();
        }
        assertEquals(n, at);

        // The receiver sees exactly its own tokenization of its own prompt, pad slots aside.
        String receiverPrompt = receiver.template().render(messages, true, false);
        String sharerPrompt = sharer.template().render(messages, true, false);
        assertArrayEquals(receiver.tokenizer().encode(receiverPrompt), unpadded(receiverIds, receiverPadding, 0, n));

        List<String> receiverTemplates = templatePieces(receiverPrompt, messages);
        List<String> sharerTemplates = templatePieces(sharerPrompt, messages);
        List<String> contents = messages.stream().map(ChatMessage::content).filter(c -> !c.isEmpty()).toList();
        int template = 0;
        int message = 0;
        for (PromptSection section : sections) {
            if (section.kind() == Kind.TEMPLATE) {
                // Each model keeps its own template text; only the shorter side is padded, at its end.
                assertPaddingIsASuffix(receiverPadding, section);
                assertPaddingIsASuffix(sharerPadding, section);
                assertFalse(receiverPadding[section.start()] && sharerPadding[section.start()]);
                assertTrue(!receiverPadding[section.end() - 1] || !sharerPadding[section.end() - 1]);
                assertEquals(receiverTemplates.get(template),
                        receiver.tokenizer().decode(unpadded(receiverIds, receiverPadding, section)));
                assertEquals(sharerTemplates.get(template),
                        sharer.tokenizer().decode(unpadded(sharerIds, sharerPadding, section)));
                template++;
            } else {
                // One sharer token per receiver token, nothing padded, the receiver's text is the content.
                int[] receiverMessage = Arrays.copyOfRange(receiverIds, section.start(), section.end());
                int[] sharerMessage = Arrays.copyOfRange(sharerIds, section.start(), section.end());
                assertArrayEquals(tokens.align(receiverMessage), sharerMessage);
                for (int p = section.start(); p < section.end(); p++) {
                    assertFalse(receiverPadding[p] || sharerPadding[p]);
                    // Each sharer token is a piece of its receiver token's text; a piece holding part of
                    // a character's UTF-8 bytes decodes that part to U+FFFD.
                    String receiverText = receiver.tokenizer().decode(new int[] {receiverIds[p]});
                    String sharerText = sharer.tokenizer().decode(new int[] {sharerIds[p]}).replace("\uFFFD", "");
                    assertTrue(receiverText.contains(sharerText), sharerText + " is not part of " + receiverText);
                }
                String content = contents.get(message++);
                assertEquals(content, receiver.tokenizer().decode(receiverMessage));
                if (content.chars().allMatch(c -> c < 128)) {
                    // Plain English tokenizes into the same words in both vocabularies.
                    assertEquals(content, sharer.tokenizer().decode(sharerMessage));
                }
            }
        }
        assertEquals(contents.size(), message);

        // Inference fuses the message runs and leaves the trailing template to the receiver.
        List<FusionSection> fusion = aligned.inferenceSections();
        assertFalse(fusion.get(fusion.size() - 1).fused());
        assertEquals(sections.stream().filter(s -> s.kind() == Kind.MESSAGE).count(),
                fusion.stream().filter(FusionSection::fused).count());
        return aligned;
    }

    /** The prompt's text between, before and after the message contents. */
    private static List<String> templatePieces(String prompt, List<ChatMessage> messages) {
        List<String> pieces = new ArrayList<>();
        int from = 0;
        for (Span span : ContentLocator.locate(prompt, messages)) {
            pieces.add(prompt.substring(from, span.start()));
            from = span.end();
        }
        pieces.add(prompt.substring(from));
        return pieces;
    }

    private static void assertPaddingIsASuffix(boolean[] padding, PromptSection section) {
        for (int p = section.start() + 1; p < section.end(); p++) {
            assertTrue(!padding[p - 1] || padding[p], "padding inside a section at " + p);
        }
    }

    private static void assertPadIds(int[] ids, boolean[] padding, int padId) {
        for (int p = 0; p < ids.length; p++) {
            if (padding[p]) {
                assertEquals(padId, ids[p]);
            }
        }
    }

    private static int[] unpadded(int[] ids, boolean[] padding, PromptSection section) {
        return unpadded(ids, padding, section.start(), section.end());
    }

    private static int[] unpadded(int[] ids, boolean[] padding, int start, int end) {
        return IntStream.range(start, end).filter(p -> !padding[p]).map(p -> ids[p]).toArray();
    }
}
