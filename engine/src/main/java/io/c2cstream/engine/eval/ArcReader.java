package io.c2cstream.engine.eval;

import java.io.IOException;
import java.nio.file.Path;

/**
 * ARC-Challenge ({@code allenai/ai2_arc}) from JSON Lines, in Hugging Face's layout or AI2's original one
 * (see {@link McqJsonRow}); method §6.1: skip rows whose {@code answerKey} is not A-D.
 */
public final class ArcReader implements BenchmarkReader {

    public static final String BENCHMARK = "arc";

    @Override
    public BenchmarkSet read(Path path) throws IOException {
        BenchmarkSet.Builder set = new BenchmarkSet.Builder(BENCHMARK);
        for (Path file : BenchmarkFiles.list(path, BENCHMARK, "jsonl", "json")) {
            JsonRows.forEach(file, set, (row, index) -> set.addRow(() -> McqJsonRow.parse(BENCHMARK, row, "question")));
        }
        return set.build();
    }
}
