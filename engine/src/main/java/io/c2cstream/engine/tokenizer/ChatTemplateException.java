package io.c2cstream.engine.tokenizer;

/**
 * A chat template could not be rendered: the template itself called {@code raise_exception} (for
 * example because the conversation breaks its role rules), or it uses syntax or values the
 * renderer cannot handle. The message says which.
 */
public final class ChatTemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ChatTemplateException(String message) {
        super(message);
    }
}
