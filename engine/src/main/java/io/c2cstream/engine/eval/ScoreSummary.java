package io.c2cstream.engine.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scores of one benchmark run, as {@code summary.json}: per mode the accuracy over all items, per-subject
 * accuracies and latency statistics.
 *
 * @param benchmark the benchmark, as given on the command line
 * @param items     distinct items evaluated
 * @param skipped   rows the reader left out, by reason
 * @param modes     scores by mode name, in the order the modes ran
 */
public record ScoreSummary(String benchmark, int items, Map<String, Integer> skipped, Map<String, ModeScore> modes) {

    public ScoreSummary {
        skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
        modes = Collections.unmodifiableMap(new LinkedHashMap<>(modes));
    }

    /**
     * One mode's scores.
     *
     * @param subjects accuracy by subject, sorted by name; empty when the benchmark has no subjects
     */
    public record ModeScore(Accuracy accuracy, LatencyStats latency, Map<String, Accuracy> subjects) {

        public ModeScore {
            subjects = Collections.unmodifiableMap(new TreeMap<>(subjects));
        }

        static ModeScore of(List<ItemResult> results) {
            Map<String, List<ItemResult>> bySubject = new TreeMap<>();
            for (ItemResult result : results) {
                if (result.subject() != null) {
                    bySubject.computeIfAbsent(result.subject(), subject -> new ArrayList<>()).add(result);
                }
            }
            Map<String, Accuracy> subjects = new TreeMap<>();
            bySubject.forEach((subject, scored) -> subjects.put(subject, accuracy(scored)));
            double[] latencies = results.stream().mapToDouble(ItemResult::latencyMs).toArray();
            return new ModeScore(accuracy(results), LatencyStats.of(latencies), subjects);
        }

        private static Accuracy accuracy(List<ItemResult> results) {
            return new Accuracy((int) results.stream().filter(ItemResult::correct).count(), results.size());
        }
    }

    /** Scores the results of every mode; an item counts once however many modes ran it. */
    public static ScoreSummary of(String benchmark, Map<String, Integer> skipped, List<ItemResult> results) {
        Map<String, List<ItemResult>> byMode = new LinkedHashMap<>();
        for (ItemResult result : results) {
            byMode.computeIfAbsent(result.mode(), mode -> new ArrayList<>()).add(result);
        }
        Map<String, ModeScore> modes = new LinkedHashMap<>();
        byMode.forEach((mode, scored) -> modes.put(mode, ModeScore.of(scored)));
        int items = (int) results.stream().map(ItemResult::id).distinct().count();
        return new ScoreSummary(benchmark, items, skipped, modes);
    }
}
