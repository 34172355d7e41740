package io.c2cstream.engine.eval;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One multiple-choice question as the evaluator sees it, whatever file layout it came from.
 *
 * @param benchmark the benchmark format name ({@code arc}, {@code openbookqa}, {@code mmlu-redux}, {@code ceval})
 * @param subject   the subject for per-subject accuracy (MMLU-Redux, C-Eval); {@code null} where the benchmark
 *                  has none
 * @param id        unique within the benchmark: the dataset's own id, or {@code subject/row} where it has none
 * @param question  the question without its options
 * @param choices   option texts, labelled {@code A}, {@code B}, ... in this order (not by the file's own labels)
 * @param gold      the correct label, a single character
 */
public record BenchmarkItem(String benchmark, String subject, String id, String question, List<String> choices,
        String gold) {

    /** The gold letters method §6.1 keeps for ARC, OpenBookQA and C-Eval; other answer keys are skipped. */
    static final Set<String> A_TO_D = Set.of("A", "B", "C", "D");

    /** Options are labelled with single letters, so there can be at most 26. */
    public static final int MAX_CHOICES = 26;

    public BenchmarkItem {
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(question, "question");
        choices = List.copyOf(choices);
        Objects.requireNonNull(gold, "gold");
        if (choices.isEmpty() || choices.size() > MAX_CHOICES) {
            throw new IllegalArgumentException(id + ": needs 1 to " + MAX_CHOICES + " choices, got " + choices.size());
        }
        if (gold.length() != 1) {
            throw new IllegalArgumentException(id + ": the gold answer must be one character, got '" + gold + "'");
        }
    }

    /** The label of the option at {@code index}: 0 is {@code A}. */
    public static String label(int index) {
        if (index < 0 || index >= MAX_CHOICES) {
            throw new IllegalArgumentException("no option label for index " + index);
        }
        return String.valueOf((char) ('A' + index));
    }
}
