package io.c2cstream.engine.tokenizer;

import java.time.LocalDateTime;

/** The global functions transformers gives chat templates, as static methods for jinjava. */
final class TemplateFunctions {

    private TemplateFunctions() {}

    /** {@code raise_exception(message)}: the template rejects its input. */
    public static Object raiseException(Object message) {
        throw new ChatTemplateException("the chat template rejected the conversation: " + message);
    }

    /** {@code strftime_now(format)}: the local time, formatted like Python's strftime. */
    public static String strftimeNow(String format) {
        return Strftime.format(format, LocalDateTime.now());
    }
}
