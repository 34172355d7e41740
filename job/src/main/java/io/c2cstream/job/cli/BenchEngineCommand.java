package io.c2cstream.job.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.bench.EngineBenchmark;
import io.c2cstream.engine.bench.SyntheticCheckpoint;
import io.c2cstream.engine.model.DecodePath;
import io.c2cstream.engine.model.ModelFamily;
import io.c2cstream.engine.model.TransformerModel;
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

/** {@code c2c bench-engine}: decode and prefill throughput of one model, and matmul efficiency on a larger one. */
@Command(name = "bench-engine", mixinStandardHelpOptions = true,
        description = "Measures decode tokens/s (single stream and batched) with decode steps in Java and on the backend"
                + " side by side, prefill tokens/s, peak memory, the backend's f32 matmul GFLOP/s and the engine's"
                + " efficiency against it; prints Markdown tables.")
public final class BenchEngineCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "model to measure, e.g. stories260K")
    private Path model;

    @Option(names = "--decode-tokens", defaultValue = "256", paramLabel = "N", description = "tokens per decode run")
    private int decodeTokens;

    @Option(names = "--batches", defaultValue = "1,8,32,64", split = ",", paramLabel = "B", description = "batch sizes")
    private List<Integer> batches;

    @Option(names = "--prompts", defaultValue = "128,512", split = ",", paramLabel = "T", description = "prefill lengths")
    private List<Integer> prompts;

    @Option(names = "--repetitions", defaultValue = "5", paramLabel = "R", description = "median of R runs after a warm-up")
    private int repetitions;

    @Option(names = "--no-synthetic", description = "skip the hidden-1024, 8-layer efficiency measurement")
    private boolean noSynthetic;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (TransformerModel java = TransformerModel.load(model, Device.cpu(), DecodePath.JAVA);
             TransformerModel backend = TransformerModel.load(model, Device.cpu(), DecodePath.BACKEND)) {
            EngineBenchmark javaBench = new EngineBenchmark(java, repetitions);
            EngineBenchmark backendBench = new EngineBenchmark(backend, repetitions);
            out.printf("### %s%n%n| decode | tokens/s, Java steps (default) | tokens/s, backend steps | ratio |%n"
                    + "|---|---|---|---|%n", model.getFileName());
            for (int b : batches) {
                // One after the other, so that both see the same machine state.
                double javaRate = javaBench.decode(b, decodeTokens).tokensPerSecond();
                double backendRate = backendBench.decode(b, decodeTokens).tokensPerSecond();
                out.printf(Locale.ROOT, "| batch %d%s | %.0f | %.0f | %.2f |%n", b, b == 1 ? " (single stream)" : "",
                        javaRate, backendRate, javaRate / backendRate);
                out.flush();
            }
            out.printf("%n| prefill | tokens/s |%n|---|---|%n");
            for (int t : prompts) {
                out.printf(Locale.ROOT, "| %d-token prompt | %.0f |%n", t, javaBench.prefill(t).tokensPerSecond());
            }
            out.printf(Locale.ROOT, "%npeak resident memory: %.0f MiB%n%n", EngineBenchmark.peakResidentMiB());
            out.flush();
        }
        if (!noSynthetic) {
            synthetic(out);
        }
        return 0;
    }

    /** Prefill of a hidden-1024, 8-layer model against the backend's own square-matmul rate. */
    private void synthetic(PrintWriter out) throws IOException {
        try (TemporaryDirectory scratch = new TemporaryDirectory("c2c-bench")) {
            Path dir = scratch.path();
            new SyntheticCheckpoint(ModelFamily.LLAMA, 1024, 2816, 8, 16, 8, 64, 2048).write(dir, 1);
            double matmul;
            try (NDManager manager = NDManager.newBaseManager()) {
                matmul = EngineBenchmark.matmulGflops(manager, 1024, repetitions);
            }
            out.printf("### synthetic llama, hidden 1024, 8 layers%n%n| measurement | value |%n|---|---|%n");
            out.printf(Locale.ROOT, "| f32 matmul 1024×1024×1024 | %.1f GFLOP/s |%n", matmul);
            try (TransformerModel m = TransformerModel.load(dir, Device.cpu(), DecodePath.BACKEND)) {
                EngineBenchmark bench = new EngineBenchmark(m, repetitions);
                for (int t : prompts) {
                    EngineBenchmark.Prefill p = bench.prefill(t);
                    out.printf(Locale.ROOT, "| prefill %d tokens | %.0f tokens/s, %.1f GFLOP/s = %.0f%% of matmul |%n",
                            t, p.tokensPerSecond(), p.gflops(), 100 * p.gflops() / matmul);
                }
                out.printf(Locale.ROOT, "| decode, single stream, backend steps | %.1f tokens/s |%n",
                        bench.decode(1, 64).tokensPerSecond());
            }
            try (TransformerModel m = TransformerModel.load(dir, Device.cpu(), DecodePath.JAVA)) {
                out.printf(Locale.ROOT, "| decode, single stream, Java steps | %.1f tokens/s |%n",
                        new EngineBenchmark(m, repetitions).decode(1, 64).tokensPerSecond());
            }
            out.flush();
        }
    }
}
