package io.c2cstream.engine.align;

import io.c2cstream.engine.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the character span of each message's content in a rendered chat prompt (method §3.2 step 2),
 * exactly as the reference does, quirks included.
 *
 * <p>Contents are searched verbatim, left to right, each from the end of the previous match, and a
 * match counts only if it is followed by {@code '<'} or by the end of the prompt, so that text that
 * also occurs inside a special token is passed over. Failing that, the first match after the
 * previous one (else anywhere) is taken, unless it looks like the inside of {@code <|begin_of_text|>}.
 * Empty contents and contents not found get no span.
 */
final class ContentLocator {

    /** A half-open UTF-16 range {@code [start, end)} of the rendered prompt. */
    record Span(int start, int end) {}

    private static final String BEGIN_OF_TEXT = "begin_of_text";

    private ContentLocator() {}

    static List<Span> locate(String prompt, List<ChatMessage> messages) {
        List<Span> spans = new ArrayList<>();
        int searchFrom = 0;
        for (ChatMessage message : messages) {
            String content = message.content();
            if (content.isEmpty()) {
                continue;
            }
            int start = beforeSpecialToken(prompt, content, searchFrom);
            if (start < 0) {
                start = anywhere(prompt, content, searchFrom);
            }
            if (start >= 0) {
                spans.add(new Span(start, start + content.length()));
                searchFrom = start + content.length();
            }
        }
        return spans;
    }

    /** The first match at or after {@code from} that ends the prompt or is followed by '<'; else -1. */
    private static int beforeSpecialToken(String prompt, String content, int from) {
        for (int start = prompt.indexOf(content, from); start >= 0; start = prompt.indexOf(content, start + 1)) {
            int end = start + content.length();
            if (end == prompt.length() || prompt.charAt(end) == '<') {
                return start;
            }
        }
        return -1;
    }

    /** The reference's fallback: the first match after {@code from}, else the first at all; -1 if none. */
    private static int anywhere(String prompt, String content, int from) {
        int start = prompt.indexOf(content, from);
        if (start < 0) {
            start = prompt.indexOf(content);
        }
        if (start < 0 || insideBeginOfText(prompt, start)) {
            return -1;
        }
        return start;
    }

    /**
     * The reference's guard against matching inside a BOS token: a '<' but no '>' among the 10 code
     * points before the match, and "begin_of_text" within 20 code points either side of its start.
     */
    private static boolean insideBeginOfText(String prompt, int start) {
        String before = prompt.substring(codePointsBack(prompt, start, 10), start);
        String around = prompt.substring(codePointsBack(prompt, start, 20), codePointsForward(prompt, start, 20));
        return before.indexOf('<') >= 0 && before.indexOf('>') < 0 && around.contains(BEGIN_OF_TEXT);
    }

    private static int codePointsBack(String text, int index, int count) {
        int i = index;
        for (int k = 0; k < count && i > 0; k++) {
            i = text.offsetByCodePoints(i, -1);
        }
        return i;
    }

    private static int codePointsForward(String text, int index, int count) {
        int i = index;
        for (int k = 0; k < count && i < text.length(); k++) {
            i = text.offsetByCodePoints(i, 1);
        }
        return i;
    }
}
