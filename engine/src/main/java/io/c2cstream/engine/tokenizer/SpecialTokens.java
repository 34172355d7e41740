package io.c2cstream.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;

/**
 * The named special tokens of a tokenizer and the ids of all its special tokens.
 *
 * <p>{@code bos}, {@code eos}, {@code pad} and {@code unk} come from {@code tokenizer_config.json}
 * ({@code bos_token} etc., a string or an {@code {"content": ...}} object, absent or null when the
 * model has none), resolved to ids through the vocabulary. {@code specialIds} are the ids of the
 * {@code tokenizer.json} added tokens flagged {@code "special": true}: the tokens that {@link
 * TextTokenizer#decodeSkippingSpecial} drops.
 *
 * @param bos beginning-of-sequence token
 * @param eos end-of-sequence token as the tokenizer declares it (generation may stop on more: see
 *     {@link TextTokenizer#eosIds()})
 * @param pad padding token
 * @param unk unknown-token token
 * @param specialIds ids of all special added tokens (unmodifiable)
 */
public record SpecialTokens(
        Optional<Token> bos, Optional<Token> eos, Optional<Token> pad, Optional<Token> unk, Set<Integer> specialIds) {

    /** A special token's text and id. */
    public record Token(String content, int id) {}

    public SpecialTokens {
        specialIds = Set.copyOf(specialIds);
    }

    /** True when {@code id} is one of the special added tokens. */
    public boolean isSpecial(int id) {
        return specialIds.contains(id);
    }

    /**
     * Reads the named tokens from a parsed {@code tokenizer_config.json} ({@code config} is a missing
     * node when the file is absent); {@code source} names the file in errors.
     */
    static SpecialTokens fromTokenizerConfig(JsonNode config, Vocabulary vocabulary, String source) {
        return new SpecialTokens(
                named(config, "bos_token", vocabulary, source),
                named(config, "eos_token", vocabulary, source),
                named(config, "pad_token", vocabulary, source),
                named(config, "unk_token", vocabulary, source),
                vocabulary.specialIds());
    }

    private static Optional<Token> named(JsonNode config, String key, Vocabulary vocabulary, String source) {
        Optional<String> content = tokenContent(config.path(key));
        return content.map(text -> new Token(text, vocabulary.id(text).orElseThrow(() -> new IllegalArgumentException(
                source + " declares " + key + " \"" + text + "\" but tokenizer.json has no such token:"
                        + " fix the config or add the token to tokenizer.json"))));
    }

    /** The text of a config token entry: a plain string or an AddedToken object's {@code content}. */
    static Optional<String> tokenContent(JsonNode entry) {
        if (entry.isTextual()) {
            return Optional.of(entry.asText());
        }
        if (entry.isObject() && entry.path("content").isTextual()) {
            return Optional.of(entry.path("content").asText());
        }
        return Optional.empty();
    }
}
