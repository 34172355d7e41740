package io.c2cstream.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c2cstream.engine.tokenizer.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text-to-text baseline's conversations of method §6.4. */
class T2tPromptsTest {

    @Test
    void backgroundPromptsExactly() {
        assertEquals("Briefly describe the most useful background to solve the problem:\n\nWhy is the sky blue?",
                T2tPrompts.background(T2tPrompts.BACKGROUND, "Why is the sky blue?"));
        assertEquals("In one clear sentence, describe the most essential background knowledge needed to answer the"
                        + " question: Why is the sky blue?",
                T2tPrompts.background(T2tPrompts.ONE_SENTENCE_BACKGROUND, "Why is the sky blue?"));
    }

    @Test
    void sharerSeesTheQuestionWithoutOptionsReceiverTheWholeExchange() {
        BenchmarkItem item = McqPromptTest.ITEM;
        String background = T2tPrompts.background(T2tPrompts.BACKGROUND, item.question());
        assertEquals(List.of(ChatMessage.user(background)), T2tPrompts.sharerConversation(T2tPrompts.BACKGROUND, item));
        assertEquals(List.of(ChatMessage.user(background), ChatMessage.assistant("Rotation sets the day length."),
                        ChatMessage.user(McqPrompt.of(item))),
                T2tPrompts.receiverConversation(T2tPrompts.BACKGROUND, item, "Rotation sets the day length."));
    }

    @Test
    void aTemplateWithoutQuestionFieldIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> T2tPrompts.background("Describe the background.", "q"));
    }
}
