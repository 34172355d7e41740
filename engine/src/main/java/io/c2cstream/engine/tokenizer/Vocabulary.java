package io.c2cstream.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The id ↔ token-string tables of a Hugging Face {@code tokenizer.json}.
 *
 * <p>DJL's tokenizer exposes no vocabulary lookups, so they are read from the same file: the
 * model's {@code vocab} (a token → id object for BPE, WordLevel and WordPiece models, a list of
 * {@code [token, score]} pairs for Unigram models) plus the {@code added_tokens}, which win where
 * both name an id, as in the Rust implementation.
 */
final class Vocabulary {

    private final String[] tokensById;
    private final Map<String, Integer> idsByToken;
    private final Set<Integer> specialIds;
    private final int size;

    private Vocabulary(Map<String, Integer> idsByToken, Map<Integer, String> tokensById, Set<Integer> specialIds) {
        int maxId = tokensById.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
        this.tokensById = new String[maxId + 1];
        tokensById.forEach((id, token) -> this.tokensById[id] = token);
        this.idsByToken = idsByToken;
        this.specialIds = Collections.unmodifiableSet(specialIds);
        this.size = tokensById.size();
    }

    /** Reads the tables from a parsed {@code tokenizer.json}; {@code source} names it in errors. */
    static Vocabulary fromTokenizerJson(JsonNode tokenizerJson, String source) {
        JsonNode vocab = tokenizerJson.path("model").path("vocab");
        Map<String, Integer> idsByToken = new HashMap<>();
        Map<Integer, String> tokensById = new HashMap<>();
        if (vocab.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                put(entry.getKey(), entry.getValue().asInt(), idsByToken, tokensById);
            }
        } else if (vocab.isArray()) {
            for (int id = 0; id < vocab.size(); id++) {
                put(vocab.get(id).get(0).asText(), id, idsByToken, tokensById);
            }
        } else {
            throw new IllegalArgumentException(
                    source + " has no model.vocab object or list: is it a Hugging Face tokenizer.json?");
        }
        Set<Integer> specialIds = new HashSet<>();
        for (JsonNode added : tokenizerJson.path("added_tokens")) {
            int id = added.path("id").asInt();
            put(added.path("content").asText(), id, idsByToken, tokensById);
            if (added.path("special").asBoolean(false)) {
                specialIds.add(id);
            }
        }
        return new Vocabulary(idsByToken, tokensById, specialIds);
    }

    private static void put(
            String token, int id, Map<String, Integer> idsByToken, Map<Integer, String> tokensById) {
        idsByToken.put(token, id);
        tokensById.put(id, token);
    }

    /** Number of distinct token ids, like {@code len(tokenizer)} in transformers. */
    int size() {
        return size;
    }

    String token(int id) {
        String token = id >= 0 && id < tokensById.length ? tokensById[id] : null;
        if (token == null) {
            throw new IllegalArgumentException(
                    "token id " + id + " is not in the vocabulary (ids range over 0.." + (tokensById.length - 1) + ")");
        }
        return token;
    }

    OptionalInt id(String token) {
        Integer id = idsByToken.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Ids of the added tokens flagged {@code "special": true}. */
    Set<Integer> specialIds() {
        return specialIds;
    }
}
