package io.c2cstream.job.cli;

import ai.djl.Device;
import io.c2cstream.engine.c2c.C2cPipeline;
import io.c2cstream.engine.c2c.Mode;
import io.c2cstream.engine.c2c.PipelineEvaluation;
import io.c2cstream.engine.eval.BenchmarkSet;
import io.c2cstream.engine.eval.BenchmarkSpec;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.generate.LanguageModel;
import io.c2cstream.engine.eval.ItemResult;
import io.c2cstream.engine.zoo.ZooData;
import io.c2cstream.job.replay.FlinkReplay;
import io.c2cstream.job.replay.ReplayRequests;
import io.c2cstream.operators.C2cJobConfig;
import io.c2cstream.job.report.ReplayReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code c2c replay}: the README's run command. Replays the held-out benchmark of a suite in every mode and
 * writes a report a person can open ({@code report.html} with charts) next to {@code items.jsonl} and
 * {@code summary.json}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replays a suite's held-out benchmark in receiver_only, sharer_only, t2t and c2c, prints accuracy and"
                + " latency per mode, and writes items.jsonl, summary.json and report.html with charts.")
public final class ReplayCommand implements Callable<Integer> {
    /** A suite: a model pair, its fuser and a benchmark, laid out as the zoo is. */
    private static final String ZOO = "zoo";

    @Option(names = "--suite", defaultValue = ZOO, paramLabel = "NAME", description = "suite to replay (default: ${DEFAULT-VALUE})")
    private String suite;

    @Option(names = "--zoo", paramLabel = "DIR", description = "the zoo directory (default: the project's zoo/)")
    private Path zoo;

    @Option(names = "--runner", defaultValue = "flink", paramLabel = "RUNNER",
            description = "flink: the streaming job on a local MiniCluster; local: the engine-only loop in this process"
                    + " (default: ${DEFAULT-VALUE})")
    private String runner;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a c2c.* job setting for the flink runner"
            + " (docs/operations.md), repeatable")
    private Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--modes", defaultValue = "receiver_only,sharer_only,t2t,c2c", split = ",", paramLabel = "MODES",
            description = "modes to replay (default: ${DEFAULT-VALUE})")
    private List<String> modes;

    @Option(names = "--limit", paramLabel = "N", description = "only the first N items")
    private Integer limit;

    @Option(names = "--t2t-max-new-tokens", defaultValue = "64", paramLabel = "N",
            description = "limit of the sharer's background text in t2t (default: ${DEFAULT-VALUE})")
    private int t2tMaxNewTokens;

    @Mixin
    private IntraOpThreadsOption intraOpThreads;

    @Option(names = "--out", defaultValue = "target/replay", paramLabel = "DIR", description = "report directory")
    private Path out;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!suite.equals(ZOO)) {
            throw new IllegalArgumentException("unknown suite '" + suite + "'; the suite is: " + ZOO);
        }
        if (!runner.equals("local") && !runner.equals("flink")) {
            throw new IllegalArgumentException("unknown runner '" + runner + "'; runners are flink and local");
        }
        intraOpThreads.apply();
        Path dir = zooDir(zoo);
        List<Mode> wanted = modes.stream().map(Mode::fromWireName).toList();
        BenchmarkSet set = heldOut(dir, limit == null ? Integer.MAX_VALUE : limit);
        PrintWriter err = spec.commandLine().getErr();
        ProgressBar bar = new ProgressBar(err, "replay " + suite + " (" + runner + ")",
                (long) set.items().size() * wanted.size());
        long[] done = {0};
        Consumer<ItemResult> progress = r -> bar.update(++done[0],
                String.format(Locale.ROOT, "%s %s", r.mode(), r.correct() ? "✓" : "✗"));
        PipelineEvaluation.Evaluation evaluation = runner.equals("flink")
                ? PipelineEvaluation.write(set, FlinkReplay.run(set.items(), wanted,
                        jobConfig(dir, t2tMaxNewTokens, settings), progress), out)
                : runLocally(dir, set, wanted, t2tMaxNewTokens, out, progress);
        ReplayReport.write(out, evaluation.summary(), evaluation.results());
        EvalCommand.printTable(spec.commandLine().getOut(), evaluation.summary());
        spec.commandLine().getOut().println("report: " + out.resolve("report.html").toAbsolutePath());
        return 0;
    }

    /** The zoo directory: the one given, else {@code c2c.home}/zoo; it must hold a fuser. */
    static Path zooDir(Path given) {
        Path dir = given != null ? given : Path.of(System.getProperty("c2c.home", ".")).resolve("zoo");
        if (!Files.isDirectory(dir.resolve("fuser"))) {
            throw new IllegalArgumentException("no zoo at " + dir + ": build it with `c2c zoo build`, or pass --zoo DIR");
        }
        return dir;
    }

    /** The first {@code limit} items of the zoo's held-out ARC questions. */
    static BenchmarkSet heldOut(Path dir, int limit) throws IOException {
        BenchmarkSet set = BenchmarkSpec.parse("arc:" + dir.resolve(ZooData.ARC_FILE)).read();
        return limit >= set.items().size() ? set
                : new BenchmarkSet(set.benchmark(), set.items().subList(0, limit), set.skipped());
    }

    /** The zoo's job settings with the replay's t2t limit, then the user's {@code --set}s. */
    static C2cJobConfig jobConfig(Path dir, int t2tMaxNewTokens, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(C2cJobConfig.forZoo(dir).asMap());
        all.put("c2c.t2t.max-new-tokens", Integer.toString(t2tMaxNewTokens));
        all.putAll(settings);
        return C2cJobConfig.parse(all);
    }

    /** The engine-only sequential loop over the zoo's models, writing {@code items.jsonl} to {@code out}. */
    static PipelineEvaluation.Evaluation runLocally(Path dir, BenchmarkSet set, List<Mode> wanted, int t2tMaxNewTokens,
                                                    Path out, Consumer<ItemResult> progress) {
        try (LanguageModel receiver = LanguageModel.load(dir.resolve("receiver"), Device.cpu());
             LanguageModel sharer = LanguageModel.load(dir.resolve("sharer"), Device.cpu());
             C2cFuser fuser = C2cFuser.load(dir.resolve("fuser"), Device.cpu());
             C2cPipeline pipeline = new C2cPipeline(receiver, sharer, fuser, new C2cPipeline.Options(
                     ReplayRequests.MAX_NEW_TOKENS, t2tMaxNewTokens, C2cPipeline.Options.reference().backgroundPrompt()))) {
            return PipelineEvaluation.run(pipeline, set, wanted, out, progress);
        }
    }
}
