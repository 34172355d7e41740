package io.c2cstream.operators;

/** A prompt over {@code c2c.max-prompt-tokens}; the request is dead-lettered as PROMPT_TOO_LONG. */
final class PromptTooLongException extends IllegalArgumentException {
    PromptTooLongException(int tokens, int limit) {
        super("prompt has " + tokens + " tokens, over the limit of " + limit
                + " (c2c.max-prompt-tokens): shorten it or raise the limit");
    }
}
