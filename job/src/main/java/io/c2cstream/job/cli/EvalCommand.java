package io.c2cstream.job.cli;

import ai.djl.Device;
import io.c2cstream.engine.c2c.C2cPipeline;
import io.c2cstream.engine.c2c.Mode;
import io.c2cstream.engine.c2c.PipelineEvaluation;
import io.c2cstream.engine.eval.BenchmarkSet;
import io.c2cstream.engine.eval.BenchmarkSpec;
import io.c2cstream.engine.eval.ScoreSummary;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.generate.LanguageModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code c2c eval}: scores a benchmark in several modes with the engine alone (no Flink). */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Answers a multiple-choice benchmark in each mode (method §6) and writes items.jsonl and summary.json.")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--receiver", required = true, paramLabel = "DIR", description = "receiver model directory")
    private Path receiver;

    @Option(names = "--sharer", paramLabel = "DIR", description = "sharer model directory (sharer_only, t2t, c2c)")
    private Path sharer;

    @Option(names = "--fuser", paramLabel = "DIR", description = "fuser directory (c2c)")
    private Path fuser;

    @Option(names = "--benchmark", required = true, paramLabel = "FORMAT:PATH",
            description = "arc, openbookqa, mmlu-redux or ceval, then a file or a directory of files")
    private String benchmark;

    @Option(names = "--modes", defaultValue = "receiver_only", split = ",", paramLabel = "MODES",
            description = "comma-separated: c2c, t2t, receiver_only, sharer_only (default: ${DEFAULT-VALUE})")
    private List<String> modes;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "report directory")
    private Path out;

    @Option(names = "--limit", paramLabel = "N", description = "only the first N items that pass the benchmark's rules")
    private Integer limit;

    @Option(names = "--max-new-tokens", defaultValue = "64", paramLabel = "N",
            description = "answer length limit (default: ${DEFAULT-VALUE}, as method §6.3)")
    private int maxNewTokens;

    @Option(names = "--t2t-max-new-tokens", defaultValue = "1024", paramLabel = "N",
            description = "limit of the sharer's background text in t2t (default: ${DEFAULT-VALUE})")
    private int t2tMaxNewTokens;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE", description = "cpu, gpu or gpu:N")
    private String device;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<Mode> wanted = modes.stream().map(Mode::fromWireName).toList();
        BenchmarkSet set = BenchmarkSpec.parse(benchmark).read();
        if (limit != null && limit < set.items().size()) {
            set = new BenchmarkSet(set.benchmark(), set.items().subList(0, limit), set.skipped());
        }
        PrintWriter err = spec.commandLine().getErr();
        if (set.skippedTotal() > 0) {
            err.printf("%s: %d rows skipped by the benchmark's rules: %s%n", set.benchmark(), set.skippedTotal(), set.skipped());
        }
        Device dev = Device.fromName(device);
        try (LanguageModel r = LanguageModel.load(receiver, dev);
             LanguageModel s = sharer == null ? null : LanguageModel.load(sharer, dev);
             C2cFuser f = fuser == null ? null : C2cFuser.load(fuser, dev);
             C2cPipeline pipeline = new C2cPipeline(r, s, f,
                     new C2cPipeline.Options(maxNewTokens, t2tMaxNewTokens, C2cPipeline.Options.reference().backgroundPrompt()))) {
            ProgressBar bar = new ProgressBar(err, "eval " + set.benchmark(), (long) set.items().size() * wanted.size());
            long[] done = {0};
            int[] correct = {0};
            ScoreSummary summary = PipelineEvaluation.run(pipeline, set, wanted, out, result -> {
                done[0]++;
                correct[0] += result.correct() ? 1 : 0;
                bar.update(done[0], String.format(Locale.ROOT, "%.1f%% correct", 100.0 * correct[0] / done[0]));
            }).summary();
            printTable(spec.commandLine().getOut(), summary);
        }
        return 0;
    }

    static void printTable(PrintWriter out, ScoreSummary summary) {
        out.printf("%-14s %9s %9s %11s %10s %10s%n", "mode", "accuracy", "correct", "mean ms", "p50 ms", "p95 ms");
        summary.modes().forEach((mode, score) -> out.printf(Locale.ROOT, "%-14s %8.2f%% %4d/%-4d %11.1f %10.1f %10.1f%n",
                mode, 100 * score.accuracy().value(), score.accuracy().correct(), score.accuracy().total(),
                score.latency().mean(), score.latency().p50(), score.latency().p95()));
        out.flush();
    }
}
