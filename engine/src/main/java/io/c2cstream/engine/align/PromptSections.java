package io.c2cstream.engine.align;

import io.c2cstream.engine.align.ContentLocator.Span;
import io.c2cstream.engine.align.PromptSection.Kind;
import io.c2cstream.engine.tokenizer.Encoding;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one model's tokenized prompt into template and message sections (method §3.2 steps 3 and 4).
 */
final class PromptSections {

    private PromptSections() {}

    /**
     * The sections of {@code encoding} given the character spans of the message contents: each span
     * becomes the tokens from the first one ending after the span's start up to the first one (from
     * there) starting at or after its end, and the tokens between message sections form template
     * sections, empty ones left out.
     */
    static List<PromptSection> of(Encoding encoding, List<Span> contentSpans) {
        List<PromptSection> sections = new ArrayList<>();
        int previousEnd = 0;
        for (Span span : contentSpans) {
            int start = 0;
            while (start < encoding.size() && encoding.end(start) <= span.start()) {
                start++;
            }
            int end = start;
            while (end < encoding.size() && encoding.start(end) < span.end()) {
                end++;
            }
            if (previousEnd < start) {
                sections.add(new PromptSection(Kind.TEMPLATE, previousEnd, start));
            }
            sections.add(new PromptSection(Kind.MESSAGE, start, end));
            previousEnd = end;
        }
        if (previousEnd < encoding.size()) {
            sections.add(new PromptSection(Kind.TEMPLATE, previousEnd, encoding.size()));
        }
        return sections;
    }
}
