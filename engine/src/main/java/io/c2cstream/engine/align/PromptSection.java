package io.c2cstream.engine.align;

/**
 * A run of tokens that is either chat-template text or one message's content (method §3.2 step 4).
 *
 * @param kind template or message
 * @param start first token index
 * @param end token index just past the section
 */
public record PromptSection(Kind kind, int start, int end) {

    /** What a section holds. */
    public enum Kind {
        /** Template text between, before or after messages: each model keeps its own tokens. */
        TEMPLATE,
        /** A message's content: the sharer gets the receiver's tokens mapped one for one. */
        MESSAGE
    }

    public PromptSection {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("a section needs 0 <= start <= end, got [" + start + ", " + end + ")");
        }
    }

    public int length() {
        return end - start;
    }
}
