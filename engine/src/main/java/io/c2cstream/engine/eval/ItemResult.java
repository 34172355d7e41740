package io.c2cstream.engine.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one item in one mode, as a line of {@code items.jsonl}.
 *
 * @param id           the item's id
 * @param subject      the item's subject, {@code null} where the benchmark has none
 * @param mode         the mode's name, such as {@code c2c} or {@code receiver_only}
 * @param gold         the correct letter
 * @param predicted    the extracted letter, {@code null} when the reply names none
 * @param text         the reply as scored (see {@link AnswerExtractor#cleanGenerated})
 * @param latencyMs    the whole call, as the reference times it (method §6.5)
 * @param stageMillis  per-stage times in milliseconds (for example sharer prefill, fuse, decode), in stage order
 */
public record ItemResult(String id, String subject, String mode, String gold, String predicted, String text,
        double latencyMs, Map<String, Double> stageMillis) {

    public ItemResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(gold, "gold");
        Objects.requireNonNull(text, "text");
        stageMillis = Collections.unmodifiableMap(new LinkedHashMap<>(stageMillis));
    }

    /**
     * Scores a reply as method §6.3 does: leading and trailing line breaks removed, the letter extracted, and
     * correct only when it equals the gold letter.
     *
     * @param decoded the generated tokens decoded with special tokens skipped
     */
    public static ItemResult score(BenchmarkItem item, String mode, String decoded, double latencyMs,
            Map<String, Double> stageMillis) {
        String text = AnswerExtractor.cleanGenerated(decoded);
        String predicted = AnswerExtractor.extract(text).orElse(null);
        return new ItemResult(item.id(), item.subject(), mode, item.gold(), predicted, text, latencyMs, stageMillis);
    }

    public boolean correct() {
        return gold.equals(predicted);
    }
}
