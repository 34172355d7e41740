package io.c2cstream.job.cli;

import io.c2cstream.engine.bench.FusionBenchmark;
import io.c2cstream.engine.bench.SyntheticCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
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

    @Option(names = "--layers", defaultValue = "4", paramLabel = "L",
            description = "receiver and sharer layers (default: ${DEFAULT-VALUE}; the real models have 28 and 24)")
    private int layers;

    @Option(names = "--hidden", defaultValue = "1024", paramLabel = "H",
            description = "projector hidden and intermediate width (default: ${DEFAULT-VALUE}, the reference's)")
    private int hidden;

    @Option(names = "--repetitions", defaultValue = "3", paramLabel = "R", description = "median of R runs")
    private int repetitions;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory("c2c-bench");
        try {
            FusionBenchmark.Result r = FusionBenchmark.synthetic(dir, SyntheticCheckpoint.qwen3Small(layers, 8192),
                    SyntheticCheckpoint.qwen25Small(layers, 8192), hidden, tokens, repetitions);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("| stage (%d-token prompt, %d layers) | ms | GFLOP | GFLOP/s | × receiver prefill |%n|---|---|---|---|---|%n",
                    tokens, layers);
            row(out, "receiver prefill", r.receiverPrefillMs(), r.receiverPrefillFlops(), r.receiverPrefillMs());
            row(out, "sharer prefill", r.sharerPrefillMs(), r.sharerPrefillFlops(), r.receiverPrefillMs());
            row(out, "fuse (all gates open)", r.fuseMs(), r.fuseFlops(), r.receiverPrefillMs());
            out.flush();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private static void row(PrintWriter out, String stage, double ms, double flops, double receiverMs) {
        out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.2f |%n", stage, ms, flops / 1e9, flops / 1e9 / (ms / 1e3),
                ms / receiverMs);
    }
}
