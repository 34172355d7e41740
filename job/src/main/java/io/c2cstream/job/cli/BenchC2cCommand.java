package io.c2cstream.job.cli;

import ai.djl.Device;
import io.c2cstream.engine.bench.FusionBenchmark;
import io.c2cstream.engine.bench.SyntheticCheckpoint;
import io.c2cstream.engine.c2c.C2cPipeline;
import io.c2cstream.engine.c2c.Mode;
import io.c2cstream.engine.c2c.PipelineEvaluation;
import io.c2cstream.engine.eval.BenchmarkSet;
import io.c2cstream.engine.eval.BenchmarkSpec;
import io.c2cstream.engine.eval.ScoreSummary;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.fuser.FuserConfig;
import io.c2cstream.engine.fuser.ProjectorConfig;
import io.c2cstream.engine.generate.LanguageModel;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.engine.model.TransformerModel;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code c2c bench-c2c}: the fuse step against the receiver's prefill of the same prompt, in real geometries. */
@Command(name = "bench-c2c", mixinStandardHelpOptions = true,
        description = "Times receiver prefill, sharer prefill and the fuse step for one prompt with random weights in"
                + " the Qwen3-0.6B ← Qwen2.5-0.5B geometry (fewer layers, smaller vocabulary: both stages scale per layer)"
                + " and prints a Markdown table with FLOPs.")
public final class BenchC2cCommand implements Callable<Integer> {
    @Option(names = "--tokens", defaultValue = "512", paramLabel = "N", description = "prompt length (default: ${DEFAULT-VALUE})")
    private int tokens;

    @Option(names = "--receiver-layers", defaultValue = "4", paramLabel = "L",
            description = "receiver layers (default: ${DEFAULT-VALUE}; Qwen3-0.6B has 28)")
    private int receiverLayers;

    @Option(names = "--sharer-layers", defaultValue = "4", paramLabel = "L",
            description = "sharer layers (default: ${DEFAULT-VALUE}; Qwen2.5-0.5B has 24)")
    private int sharerLayers;

    @Option(names = "--tokenizer", paramLabel = "DIR",
            description = "with --benchmark: a tokenizer directory (tokenizer.json, tokenizer_config.json) both models use")
    private Path tokenizer;

    @Option(names = "--benchmark", paramLabel = "FORMAT:PATH",
            description = "also answer these items end to end in c2c and t2t and compare their latency")
    private String benchmark;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "items for --benchmark")
    private int limit;

    @Option(names = "--max-new-tokens", defaultValue = "8", paramLabel = "N", description = "answer length (random weights never stop)")
    private int maxNewTokens;

    @Option(names = "--t2t-max-new-tokens", defaultValue = "80", paramLabel = "N",
            description = "length of the sharer's background text in t2t (the paper reports about 80 tokens)")
    private int t2tMaxNewTokens;

    @Option(names = "--hidden", defaultValue = "1024", paramLabel = "H",
            description = "projector hidden and intermediate width (default: ${DEFAULT-VALUE}, the reference's)")
    private int hidden;

    @Option(names = "--repetitions", defaultValue = "3", paramLabel = "R", description = "median of R runs")
    private int repetitions;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        try (TemporaryDirectory scratch = new TemporaryDirectory("c2c-bench")) {
            Path dir = scratch.path();
            int vocab = tokenizer == null ? 8192 : vocabularyOf(tokenizer);
            SyntheticCheckpoint receiver = SyntheticCheckpoint.qwen3Small(receiverLayers, vocab);
            SyntheticCheckpoint sharer = SyntheticCheckpoint.qwen25Small(sharerLayers, vocab);
            receiver.write(dir.resolve("receiver"), 1);
            sharer.write(dir.resolve("sharer"), 2);
            PrintWriter out = spec.commandLine().getOut();
            FusionBenchmark.Result r;
            try (TransformerModel rm = TransformerModel.load(dir.resolve("receiver"));
                 TransformerModel sm = TransformerModel.load(dir.resolve("sharer"))) {
                r = FusionBenchmark.run(rm, sm, hidden, tokens, repetitions);
            }
            out.printf("| stage (%d-token prompt, %d/%d layers) | ms | GFLOP | GFLOP/s | × receiver prefill |%n"
                    + "|---|---|---|---|---|%n", tokens, receiverLayers, sharerLayers);
            row(out, "receiver prefill", r.receiverPrefillMs(), r.receiverPrefillFlops(), r.receiverPrefillMs());
            row(out, "sharer prefill", r.sharerPrefillMs(), r.sharerPrefillFlops(), r.receiverPrefillMs());
            row(out, "fuse (all gates open)", r.fuseMs(), r.fuseFlops(), r.receiverPrefillMs());
            out.flush();
            if (benchmark != null) {
                endToEnd(dir, out);
            }
        }
        return 0;
    }

    /** c2c against t2t on the same items, both models reading the given tokenizer (a same-tokenizer pair). */
    private void endToEnd(Path dir, PrintWriter out) throws IOException {
        if (tokenizer == null) {
            throw new IllegalArgumentException("--benchmark needs --tokenizer: the models have random weights but real prompts");
        }
        for (String model : List.of("receiver", "sharer")) {
            for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
                Files.copy(tokenizer.resolve(file), dir.resolve(model).resolve(file));
            }
        }
        BenchmarkSet set = BenchmarkSpec.parse(benchmark).read();
        set = new BenchmarkSet(set.benchmark(), set.items().subList(0, Math.min(limit, set.items().size())), set.skipped());
        try (LanguageModel r = LanguageModel.load(dir.resolve("receiver"), Device.cpu());
             LanguageModel s = LanguageModel.load(dir.resolve("sharer"), Device.cpu());
             C2cFuser fuser = openFuser(r, s);
             C2cPipeline pipeline = new C2cPipeline(r, s, fuser,
                     new C2cPipeline.Options(maxNewTokens, t2tMaxNewTokens, C2cPipeline.Options.reference().backgroundPrompt()))) {
            ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "c2c vs t2t", set.items().size() * 2L);
            long[] done = {0};
            ScoreSummary summary = PipelineEvaluation.run(pipeline, set, List.of(Mode.C2C, Mode.T2T), dir.resolve("report"),
                    result -> bar.update(++done[0], result.mode())).summary();
            out.println();
            EvalCommand.printTable(out, summary);
            double c2c = summary.modes().get("c2c").latency().mean();
            double t2t = summary.modes().get("t2t").latency().mean();
            out.printf(Locale.ROOT, "%nt2t / c2c mean latency: %.2f×%n", t2t / c2c);
            out.flush();
        }
    }

    private C2cFuser openFuser(LanguageModel r, LanguageModel s) {
        ModelConfig rc = r.model().config();
        ModelConfig sc = s.model().config();
        FuserConfig config = new FuserConfig("receiver", "sharer", false, "longest", "last_aligned", "sequential",
                ProjectorConfig.reference(sc.numKvHeads(), sc.headDim(), rc.numKvHeads(), rc.headDim(), hidden, hidden));
        C2cFuser fuser = C2cFuser.initialize(config, rc, sc, Device.cpu(), 3);
        fuser.projectors().forEach(p -> p.setGateLogits(1f, 1f));
        return fuser;
    }

    private static int vocabularyOf(Path tokenizerDir) {
        try (TextTokenizer t = TextTokenizer.load(tokenizerDir)) {
            return t.vocabSize();
        }
    }

    private static void row(PrintWriter out, String stage, double ms, double flops, double receiverMs) {
        out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.2f |%n", stage, ms, flops / 1e9, flops / 1e9 / (ms / 1e3),
                ms / receiverMs);
    }
}
