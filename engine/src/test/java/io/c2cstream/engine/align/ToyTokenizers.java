package io.c2cstream.engine.align;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The toy receiver R and sharer S of method §10.7, written as real Hugging Face model directories
 * ({@code tokenizer.json} + {@code tokenizer_config.json} with a Jinja chat template).
 *
 * <p>Both split text into maximal runs of "optional single leading space + ASCII letters" and single
 * other characters (a {@code Split} pre-tokenizer, isolated). S then cuts each run into chunks of
 * alternating length 2, 4, 2, 4, ... from its start: a second {@code Split} isolates the 4-character
 * chunks, which start 2, 8, 14, ... characters into a run, so the 2-character gaps become pieces of
 * their own. Each piece is one token of a {@code WordLevel} vocabulary that lists the pieces the
 * tests use.
 */
final class ToyTokenizers {

    private static final String RUN = " ?[A-Za-z]+|[\\\\s\\\\S]";
    private static final String FOUR_CHARACTER_CHUNK = "(?<=\\\\A..|\\\\A.{8}|\\\\A.{14}|\\\\A.{20}|\\\\A.{26}).{1,4}";

    private static final List<String> RECEIVER_SPECIALS = List.of("<|user|>", "<|asst|>", "<|end|>", "<|pad|>");
    private static final List<String> RECEIVER_WORDS =
            List.of("Hi", " unbelievable", " cats", "!", "Why", "?", "Because", " wonderful", " ");

    private static final List<String> SHARER_SPECIALS = List.of("<s>", "<U>", "<A>", "</u>", "<pad>");
    private static final List<String> SHARER_WORDS = List.of(
            "Hi", " u", "nbel", "ie", "vabl", "e", " c", "ats", "!", " ",
            "Wh", "y", "?", "Be", "caus", " w", "onde", "rf", "ul");

    private ToyTokenizers() {}

    /** Writes R into {@code dir}: pad {@code <|pad|>}, no bos/eos/unk. */
    static Path receiver(Path dir) {
        return receiver(dir, Map.of("pad_token", "<|pad|>"));
    }

    /** Writes R into {@code dir} with other named tokens ({@code "eos_token" -> "<|end|>"}). */
    static Path receiver(Path dir, Map<String, String> roles) {
        String template = "{% for m in messages %}{% if m.role == 'user' %}<|user|>{% else %}<|asst|>{% endif %}"
                + "{{ m.content }}<|end|>{% endfor %}{% if add_generation_prompt %}<|asst|>{% endif %}";
        return write(dir, RECEIVER_SPECIALS, RECEIVER_WORDS, pattern(RUN), withTemplate(roles, template));
    }

    /** Writes S into {@code dir}: bos {@code <s>}, pad {@code <pad>}, no eos/unk. */
    static Path sharer(Path dir) {
        return sharer(dir, Map.of("bos_token", "<s>", "pad_token", "<pad>"));
    }

    /** Writes S into {@code dir} with other named tokens. */
    static Path sharer(Path dir, Map<String, String> roles) {
        String template = "<s>{% for m in messages %}{% if m.role == 'user' %}<U>{% else %}<A>{% endif %}"
                + "{{ m.content }}</u>{% endfor %}{% if add_generation_prompt %}<A>{% endif %}";
        String preTokenizer = "{\"type\": \"Sequence\", \"pretokenizers\": [" + pattern(RUN) + ", "
                + pattern(FOUR_CHARACTER_CHUNK) + "]}";
        return write(dir, SHARER_SPECIALS, SHARER_WORDS, preTokenizer, withTemplate(roles, template));
    }

    private static Map<String, String> withTemplate(Map<String, String> roles, String template) {
        Map<String, String> config = new LinkedHashMap<>(roles);
        config.put("chat_template", template);
        return config;
    }

    private static String pattern(String regex) {
        return "{\"type\": \"Split\", \"pattern\": {\"Regex\": \"" + regex + "\"}, \"behavior\": \"Isolated\","
                + " \"invert\": false}";
    }

    private static Path write(
            Path dir, List<String> specials, List<String> words, String preTokenizer, Map<String, String> config) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        specials.forEach(token -> vocab.put(token, vocab.size()));
        words.forEach(token -> vocab.put(token, vocab.size()));
        String addedTokens = specials.stream()
                .map(token -> "{\"id\": " + vocab.get(token) + ", \"content\": " + quote(token) + ", \"single_word\":"
                        + " false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": true}")
                .collect(Collectors.joining(",\n    "));
        String vocabJson = vocab.entrySet().stream()
                .map(entry -> quote(entry.getKey()) + ": " + entry.getValue())
                .collect(Collectors.joining(", "));
        String tokenizerJson = """
                {
                  "version": "1.0",
                  "truncation": null,
                  "padding": null,
                  "added_tokens": [
                    %s
                  ],
                  "normalizer": null,
                  "pre_tokenizer": %s,
                  "post_processor": null,
                  "decoder": null,
                  "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "<unk>"}
                }
                """.formatted(addedTokens, preTokenizer, vocabJson);
        String configJson = config.entrySet().stream()
                .map(entry -> quote(entry.getKey()) + ": " + quote(entry.getValue()))
                .collect(Collectors.joining(",\n  ", "{\n  ", "\n}\n"));
        try {
            Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson);
            Files.writeString(dir.resolve("tokenizer_config.json"), configJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** A JSON string literal; the toy texts need no escapes beyond quotes and backslashes. */
    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
