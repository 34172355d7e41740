package io.c2cstream.engine.eval;

import io.c2cstream.engine.tokenizer.PythonStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer letter in a model's reply, exactly as the reference's {@code extract_answer_from_content}
 * (method §6.3) finds it, quirks included: "The correct answer is: Because…" gives B, "costs" trips the
 * arithmetic test through "cos", and a lone trailing letter wins over everything but an answer phrase.
 *
 * <p>Python {@code re} semantics are kept: whitespace and word characters are Python's Unicode classes,
 * {@code .} stops only at {@code \n}, and {@code $} matches at the end or before a final {@code \n}.
 */
public final class AnswerExtractor {

    /** Python's {@code \s}: Java's Unicode white space plus the separators U+001C..U+001F. */
    private static final String WS = "[\\s\\x1C-\\x1F]";
    /** Python's {@code \w}: letters, numbers, underscore. */
    private static final String WORD = "[\\p{L}\\p{N}_]";
    /** Python's {@code \b} before a letter, and after one. */
    private static final String WORD_START = "(?<!" + WORD + ")";
    private static final String WORD_END = "(?!" + WORD + ")";

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS
            | Pattern.UNIX_LINES;

    /** Tried in order; the reference lists each in three letter cases, redundant under its IGNORECASE. */
    private static final List<Pattern> ANSWER_PHRASES = List.of(
            "Answer:", "Your answer:", "The answer is", "Correct answer is", "Correct answer is:", "Correct answer:",
            "Jibu lako:", "Jibu:", "Jibu sahihi:", "Response:", "Choice:", "Option:").stream()
            .map(phrase -> Pattern.compile(Pattern.quote(phrase) + WS + "*(.*)", FLAGS))
            .toList();

    private static final List<Pattern> STANDALONE_LETTERS = List.of(
            // a letter at the very end, optionally followed by one punctuation mark
            Pattern.compile(WORD_START + "([A-D])(?:" + WS + "*[.,!?:)]?" + WS + "*$)", FLAGS),
            // a letter followed by a punctuation mark and white space
            Pattern.compile(WORD_START + "([A-D])(?:" + WS + "*[.,!?:)]" + WS + ")", FLAGS),
            // a letter alone at the end, after the start or white space
            Pattern.compile("(?:^|" + WS + ")([A-D])(?:" + WS + "*$)", FLAGS));

    private static final Pattern ANY_LETTER = Pattern.compile(WORD_START + "([A-D])" + WORD_END, FLAGS);

    private static final List<String> MATH_INDICATORS =
            List.of("+", "-", "*", "/", "=", "^", "x^", "y^", "z^", "mod", "sqrt", "sin", "cos", "tan");
    private static final List<String> ANSWER_INDICATORS =
            List.of("jibu", "answer", "choice", "option", "response", "correct", "sahihi");

    private AnswerExtractor() {}

    /**
     * The reply as the reference keeps it: decoded with special tokens skipped, then leading and trailing
     * {@code \n} removed (other white space stays).
     */
    public static String cleanGenerated(String decoded) {
        return PythonStrings.strip(decoded, "\n");
    }

    /** The extracted letter A-D, or empty when the reply names none. */
    public static Optional<String> extract(String reply) {
        String text = PythonStrings.strip(reply, null);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        for (Pattern phrase : ANSWER_PHRASES) {
            Matcher match = phrase.matcher(text);
            if (match.find()) {
                Optional<String> letter = firstUppercaseLetter(PythonStrings.strip(match.group(1), null));
                if (letter.isPresent()) {
                    return letter;
                }
            }
        }
        // Letters in arithmetic are variables, not answers, unless the text also talks about answers.
        boolean looksLikeMath = MATH_INDICATORS.stream().anyMatch(text::contains)
                && ANSWER_INDICATORS.stream().noneMatch(text.toLowerCase(Locale.ROOT)::contains);
        if (!looksLikeMath) {
            for (Pattern standalone : STANDALONE_LETTERS) {
                List<String> letters = findAll(standalone, text);
                if (!letters.isEmpty()) {
                    return Optional.of(upperLast(letters));
                }
            }
        }
        List<String> letters = findAll(ANY_LETTER, text);
        if (!letters.isEmpty()) {
            return looksLikeMath ? Optional.empty() : Optional.of(upperLast(letters));
        }
        for (int i = text.length() - 1; i >= 0; i--) {
            if (isUppercaseOption(text.charAt(i))) {
                return Optional.of(String.valueOf(text.charAt(i)));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> firstUppercaseLetter(String text) {
        return text.chars().filter(AnswerExtractor::isUppercaseOption).mapToObj(c -> String.valueOf((char) c))
                .findFirst();
    }

    private static boolean isUppercaseOption(int c) {
        return c >= 'A' && c <= 'D';
    }

    private static List<String> findAll(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher match = pattern.matcher(text);
        while (match.find()) {
            found.add(match.group(1));
        }
        return found;
    }

    private static String upperLast(List<String> letters) {
        return letters.get(letters.size() - 1).toUpperCase(Locale.ROOT);
    }
}
