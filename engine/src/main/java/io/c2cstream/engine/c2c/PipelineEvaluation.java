package io.c2cstream.engine.c2c;

import io.c2cstream.engine.eval.BenchmarkItem;
import io.c2cstream.engine.eval.BenchmarkSet;
import io.c2cstream.engine.eval.ItemResult;
import io.c2cstream.engine.eval.ItemsJsonlWriter;
import io.c2cstream.engine.eval.McqPrompt;
import io.c2cstream.engine.eval.ScoreSummary;
import io.c2cstream.engine.eval.SummaryJsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Answers every benchmark item in every requested mode through a {@link C2cPipeline} (method §6: the §6.2
 * prompt, greedy answers, §6.3 scoring), and writes {@code items.jsonl} and {@code summary.json}.
 */
public final class PipelineEvaluation {
    private PipelineEvaluation() {}

    /** The request for one item: the multiple-choice prompt, and the bare question for t2t's background. */
    public static C2cPipeline.Request request(BenchmarkItem item) {
        return new C2cPipeline.Request(McqPrompt.of(item), item.question());
    }

    /** Per-stage milliseconds under the names the reports use. */
    public static Map<String, Double> stages(StageTimings t) {
        Map<String, Double> stages = new LinkedHashMap<>();
        stages.put("sharer_prefill", t.sharerPrefillMs());
        stages.put("receiver_prefill", t.receiverPrefillMs());
        stages.put("fuse", t.fuseMs());
        stages.put("decode", t.decodeMs());
        stages.put("sharer_decode", t.sharerDecodeMs());
        return stages;
    }

    /** The scored answers of a run and their summary. */
    public record Evaluation(ScoreSummary summary, List<ItemResult> results) {}

    /**
     * Runs the items (item-major: every mode of an item before the next item) and writes the report to
     * {@code out}; {@code onResult} sees each result as it is written (for progress).
     */
    public static Evaluation run(C2cPipeline pipeline, BenchmarkSet set, List<Mode> modes, Path out,
                                 Consumer<ItemResult> onResult) {
        List<ItemResult> results = new ArrayList<>();
        try {
            Files.createDirectories(out);
            try (ItemsJsonlWriter items = ItemsJsonlWriter.create(out.resolve("items.jsonl"))) {
                for (BenchmarkItem item : set.items()) {
                    for (Mode mode : modes) {
                        C2cPipeline.Answer a = pipeline.run(request(item), mode);
                        ItemResult r = ItemResult.score(item, mode.wireName(), a.text(), a.latencyMs(), stages(a.timings()));
                        items.write(r);
                        results.add(r);
                        onResult.accept(r);
                    }
                }
            }
            return summarize(set, results, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + out, e);
        }
    }

    /** Writes {@code items.jsonl} and {@code summary.json} for results computed elsewhere (the streaming job). */
    public static Evaluation write(BenchmarkSet set, List<ItemResult> results, Path out) {
        try {
            Files.createDirectories(out);
            try (ItemsJsonlWriter items = ItemsJsonlWriter.create(out.resolve("items.jsonl"))) {
                for (ItemResult r : results) {
                    items.write(r);
                }
            }
            return summarize(set, results, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + out, e);
        }
    }

    private static Evaluation summarize(BenchmarkSet set, List<ItemResult> results, Path out) throws IOException {
        ScoreSummary summary = ScoreSummary.of(set.benchmark(), set.skipped(), results);
        SummaryJsonWriter.write(out.resolve("summary.json"), summary);
        return new Evaluation(summary, List.copyOf(results));
    }
}
