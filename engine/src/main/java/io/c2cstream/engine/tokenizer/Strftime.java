package io.c2cstream.engine.tokenizer;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Python's {@code datetime.strftime} in the C locale, for the {@code strftime_now(format)} template
 * function (Llama 3.x templates print today's date with {@code "%d %b %Y"}). Covers the C89
 * directives without week numbers or time zones, plus glibc's {@code %-d} form (no padding) that
 * Python on Linux passes through.
 */
final class Strftime {

    private Strftime() {}

    static String format(String pattern, LocalDateTime time) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            boolean unpadded = i + 1 < pattern.length() && pattern.charAt(i + 1) == '-';
            int directiveAt = unpadded ? i + 2 : i + 1;
            if (directiveAt >= pattern.length()) {
                throw new IllegalArgumentException("strftime format \"" + pattern + "\" ends in an incomplete directive");
            }
            out.append(directive(pattern.charAt(directiveAt), unpadded, time, pattern));
            i = directiveAt;
        }
        return out.toString();
    }

    private static String directive(char directive, boolean unpadded, LocalDateTime time, String pattern) {
        return switch (directive) {
            case 'a' -> time.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'A' -> time.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US);
            case 'w' -> Integer.toString(time.getDayOfWeek().getValue() % 7);
            case 'd' -> number(time.getDayOfMonth(), 2, unpadded);
            case 'b' -> time.getMonth().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'B' -> time.getMonth().getDisplayName(TextStyle.FULL, Locale.US);
            case 'm' -> number(time.getMonthValue(), 2, unpadded);
            case 'y' -> number(time.getYear() % 100, 2, unpadded);
            case 'Y' -> Integer.toString(time.getYear());
            case 'H' -> number(time.getHour(), 2, unpadded);
            case 'I' -> number((time.getHour() + 11) % 12 + 1, 2, unpadded);
            case 'p' -> time.getHour() < 12 ? "AM" : "PM";
            case 'M' -> number(time.getMinute(), 2, unpadded);
            case 'S' -> number(time.getSecond(), 2, unpadded);
            case 'f' -> number(time.getNano() / 1000, 6, false);
            case 'j' -> number(time.getDayOfYear(), 3, unpadded);
            case '%' -> "%";
            default -> throw new IllegalArgumentException(
                    "strftime directive %" + directive + " in \"" + pattern + "\" is not supported");
        };
    }

    private static String number(int value, int width, boolean unpadded) {
        String digits = Integer.toString(value);
        return unpadded ? digits : "0".repeat(Math.max(0, width - digits.length())) + digits;
    }
}
