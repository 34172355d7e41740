package io.c2cstream.engine.align;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.c2cstream.engine.align.ContentLocator.Span;
import io.c2cstream.engine.tokenizer.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Locating message contents in rendered prompts (method §3.2 step 2). */
class ContentLocatorTest {

    @Test
    void skipsMatchesNotFollowedByASpecialToken() {
        // "user" first occurs inside <|user|>, followed by '|'.
        assertEquals(List.of(new Span(8, 12)),
                ContentLocator.locate("<|user|>user<|end|>", List.of(ChatMessage.user("user"))));
    }

    @Test
    void acceptsAMatchThatEndsThePrompt() {
        assertEquals(List.of(new Span(8, 15)),
                ContentLocator.locate("<|asst|>Because", List.of(ChatMessage.assistant("Because"))));
    }

    @Test
    void searchesRepeatedContentsInOrder() {
        assertEquals(List.of(new Span(8, 10), new Span(25, 27)), ContentLocator.locate(
                "<|user|>Hi<|end|><|asst|>Hi<|end|>", List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hi"))));
    }

    @Test
    void fallsBackToAPlainMatch() {
        assertEquals(List.of(new Span(7, 12)),
                ContentLocator.locate("[user] hello\n", List.of(ChatMessage.user("hello"))));
    }

    @Test
    void fallbackSearchesFromTheStartWhenNothingFollows() {
        // The second "Hi" has no match after the first: the plain search starts over and finds it again.
        assertEquals(List.of(new Span(0, 2), new Span(0, 2)),
                ContentLocator.locate("Hi", List.of(ChatMessage.user("Hi"), ChatMessage.user("Hi"))));
    }

    @Test
    void fallbackRefusesTheInsideOfBeginOfText() {
        assertEquals(List.of(),
                ContentLocator.locate("<|begin_of_text|>x<|eot_id|>", List.of(ChatMessage.user("begin"))));
    }

    @Test
    void emptyContentsHaveNoSpan() {
        assertEquals(List.of(new Span(15, 17)), ContentLocator.locate(
                "<|user|><|end|>Hi", List.of(ChatMessage.user(""), ChatMessage.assistant("Hi"))));
    }
}
