package io.c2cstream.engine.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The items a reader kept from a benchmark and how many rows it left out, by reason; every row of the input
 * is either an item or counted here.
 *
 * @param benchmark the benchmark format name
 * @param items     the evaluated items, in file order (files in name order)
 * @param skipped   rows left out, by reason (for example {@code "answerKey not in A-D"}), sorted by reason
 */
public record BenchmarkSet(String benchmark, List<BenchmarkItem> items, Map<String, Integer> skipped) {

    public BenchmarkSet {
        Objects.requireNonNull(benchmark, "benchmark");
        items = List.copyOf(items);
        skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
    }

    /** Rows left out for any reason. */
    public int skippedTotal() {
        return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Collects items and skip reasons while a reader walks its files. */
    static final class Builder {
        private final String benchmark;
        private final List<BenchmarkItem> items = new ArrayList<>();
        private final Map<String, Integer> skipped = new TreeMap<>();

        Builder(String benchmark) {
            this.benchmark = benchmark;
        }

        /** Adds the item the row parses to, or counts the reason it was skipped. */
        void addRow(RowParser row) {
            try {
                items.add(row.parse());
            } catch (SkippedRow skip) {
                skip(skip.reason());
            }
        }

        void skip(String reason) {
            skipped.merge(reason, 1, Integer::sum);
        }

        BenchmarkSet build() {
            return new BenchmarkSet(benchmark, items, skipped);
        }
    }

    /** Parses one row into an item, or throws {@link SkippedRow} saying why the row does not count. */
    @FunctionalInterface
    interface RowParser {
        BenchmarkItem parse() throws SkippedRow;
    }
}
