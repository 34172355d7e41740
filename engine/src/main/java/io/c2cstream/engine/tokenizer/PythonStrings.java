package io.c2cstream.engine.tokenizer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Python {@code str} semantics that chat templates rely on and Java's look-alikes get wrong:
 * {@code split} is not a regex split and keeps trailing empty parts, {@code strip} takes a set of
 * characters and "whitespace" is Python's definition, not {@link Character#isWhitespace}.
 */
public final class PythonStrings {

    private PythonStrings() {}

    /** Python's {@code str.isspace()} for one code point. */
    public static boolean isSpace(int codePoint) {
        return switch (codePoint) {
            case '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ', 0x85, 0xA0, 0x1680, 0x2028,
                    0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> codePoint >= 0x2000 && codePoint <= 0x200A;
        };
    }

    /** {@code s.strip(chars)}; {@code chars == null} strips whitespace. */
    public static String strip(String s, String chars) {
        return rstrip(lstrip(s, chars), chars);
    }

    /** {@code s.lstrip(chars)}; {@code chars == null} strips whitespace. */
    static String lstrip(String s, String chars) {
        int start = 0;
        while (start < s.length() && strips(s.codePointAt(start), chars)) {
            start += Character.charCount(s.codePointAt(start));
        }
        return s.substring(start);
    }

    /** {@code s.rstrip(chars)}; {@code chars == null} strips whitespace. */
    static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && strips(s.codePointBefore(end), chars)) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(0, end);
    }

    private static boolean strips(int codePoint, String chars) {
        return chars == null ? isSpace(codePoint) : chars.codePoints().anyMatch(c -> c == codePoint);
    }

    /**
     * {@code s.split(separator, maxSplit)}: with a separator, every occurrence splits (empty parts
     * kept); without one ({@code null}), runs of whitespace split and empty parts are dropped. A
     * negative {@code maxSplit} means no limit.
     */
    static List<String> split(String s, String separator, int maxSplit) {
        if (separator == null) {
            return splitOnWhitespace(s, maxSplit);
        }
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        List<String> parts = new ArrayList<>();
        int from = 0;
        int at;
        while ((maxSplit < 0 || parts.size() < maxSplit) && (at = s.indexOf(separator, from)) >= 0) {
            parts.add(s.substring(from, at));
            from = at + separator.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    private static List<String> splitOnWhitespace(String s, int maxSplit) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (true) {
            while (i < s.length() && isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            if (i == s.length()) {
                return parts;
            }
            if (maxSplit >= 0 && parts.size() == maxSplit) {
                // As in CPython, the remainder keeps its trailing whitespace.
                parts.add(s.substring(i));
                return parts;
            }
            int start = i;
            while (i < s.length() && !isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            parts.add(s.substring(start, i));
        }
    }

    /** {@code s.startswith(prefix)}, where {@code prefix} is a string or a tuple of strings. */
    static boolean startsWith(String s, Object prefix) {
        return anyAffix(prefix, "startswith", s::startsWith);
    }

    /** {@code s.endswith(suffix)}, where {@code suffix} is a string or a tuple of strings. */
    static boolean endsWith(String s, Object suffix) {
        return anyAffix(suffix, "endswith", s::endsWith);
    }

    private static boolean anyAffix(Object affix, String method, Predicate<String> test) {
        if (affix instanceof String single) {
            return test.test(single);
        }
        if (affix instanceof Collection<?> several) {
            for (Object each : several) {
                if (test.test(requireString(each, method))) {
                    return true;
                }
            }
            return false;
        }
        throw new IllegalArgumentException(method + " first arg must be str or a tuple of str, not " + typeName(affix));
    }

    /** Python's {@code lower()}/{@code upper()} do not depend on the locale. */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    static String requireString(Object value, String method) {
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(method + " expects a str argument, not " + typeName(value));
    }

    static String typeName(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName();
    }
}
