package io.c2cstream.job.cli;

import io.c2cstream.engine.c2c.Mode;
import io.c2cstream.engine.eval.BenchmarkItem;
import io.c2cstream.engine.eval.BenchmarkSet;
import io.c2cstream.engine.eval.ItemResult;
import io.c2cstream.job.replay.FlinkReplay;
import io.c2cstream.operators.C2cJobConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code c2c bench-job}: the streaming job against the sequential engine-only loop on the same zoo items, or with
 * {@code --soak} a long run through the job watching the process's resident memory.
 */
@Command(name = "bench-job", mixinStandardHelpOptions = true,
        description = "Replays the zoo's held-out items through the engine-only loop and through the Flink job and"
                + " prints wall time and throughput of each, the job's per-stage latency per mode and its c2c/t2t"
                + " latency ratio; with --soak, sends many requests through the job and prints resident memory per"
                + " quarter of the run.")
public final class BenchJobCommand implements Callable<Integer> {
    private static final List<String> STAGES = List.of("sharer_prefill", "receiver_prefill", "transfer", "fuse",
            "decode");

    @Option(names = "--zoo", paramLabel = "DIR", description = "the zoo directory (default: the project's zoo/)")
    private Path zoo;

    /** Requests a soak run sends unless told otherwise: the issue's bound on native memory is shown over 2,000. */
    private static final int SOAK_REQUESTS = 2000;

    @Option(names = "--items", paramLabel = "N", description = "held-out items to replay (default: all of them, the"
            + " whole replay, so that loading weighs as little as it does there); with --soak, requests to send"
            + " (default: " + SOAK_REQUESTS + ")")
    private Integer items;

    @Option(names = "--modes", defaultValue = "receiver_only,sharer_only,t2t,c2c", split = ",", paramLabel = "MODES",
            description = "modes of every item (default: ${DEFAULT-VALUE})")
    private List<String> modes;

    @Option(names = "--soak", description = "only the job, with --items requests, sampling RSS every second")
    private boolean soak;

    @Option(names = "--t2t-max-new-tokens", defaultValue = "64", paramLabel = "N",
            description = "limit of the sharer's background text in t2t (default: ${DEFAULT-VALUE})")
    private int t2tMaxNewTokens;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a c2c.* job setting, repeatable")
    private Map<String, String> settings = new LinkedHashMap<>();

    @Mixin
    private IntraOpThreadsOption intraOpThreads;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (items != null && items < 1) {
            throw new IllegalArgumentException("--items must be at least 1, got " + items);
        }
        intraOpThreads.apply();
        Path dir = ReplayCommand.zooDir(zoo);
        List<Mode> wanted = modes.stream().map(Mode::fromWireName).toList();
        C2cJobConfig config = ReplayCommand.jobConfig(dir, t2tMaxNewTokens, settings);
        if (soak) {
            soak(dir, wanted, config);
        } else {
            compare(dir, wanted, config);
        }
        return 0;
    }

    private void compare(Path dir, List<Mode> wanted, C2cJobConfig config) throws Exception {
        BenchmarkSet set = ReplayCommand.heldOut(dir, items == null ? Integer.MAX_VALUE : items);
        long requests = (long) set.items().size() * wanted.size();
        List<ItemResult> local;
        long localNanos;
        try (TemporaryDirectory scratch = new TemporaryDirectory("c2c-bench-job")) {
            long start = System.nanoTime();
            local = ReplayCommand.runLocally(dir, set, wanted, t2tMaxNewTokens, scratch.path(),
                    progress("engine-only loop", requests)).results();
            localNanos = System.nanoTime() - start;
        }
        long start = System.nanoTime();
        List<ItemResult> flink = FlinkReplay.run(set.items(), wanted, config, progress("flink job", requests));
        long flinkNanos = System.nanoTime() - start;

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%n%d items × %d modes = %d requests (wall clock includes loading the models;"
                + " the job's, starting the MiniCluster)%n%n", set.items().size(), wanted.size(), requests);
        out.println("| runner | wall s | requests/s |");
        out.println("|---|---|---|");
        out.printf(Locale.ROOT, "| engine-only loop | %.1f | %.2f |%n", localNanos / 1e9, requests * 1e9 / localNanos);
        out.printf(Locale.ROOT, "| flink job | %.1f | %.2f |%n", flinkNanos / 1e9, requests * 1e9 / flinkNanos);
        out.printf(Locale.ROOT, "%nthroughput flink / engine-only: %.2f× (target ≥ 1.5×)%n%n",
                (double) localNanos / flinkNanos);

        out.println("| mode (flink job, mean ms) | latency | " + String.join(" | ", STAGES) + " |");
        out.println("|---" + "|---".repeat(STAGES.size() + 1) + "|");
        for (Mode mode : wanted) {
            List<ItemResult> of = flink.stream().filter(r -> r.mode().equals(mode.wireName())).toList();
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.1f", mode.wireName(),
                    mean(of, ItemResult::latencyMs)));
            for (String stage : STAGES) {
                double ms = mean(of, r -> r.stageMillis().getOrDefault(stage, 0.0));
                row.append(String.format(Locale.ROOT, " | %.1f", ms));
            }
            out.println(row.append(" |"));
        }
        if (wanted.contains(Mode.C2C) && wanted.contains(Mode.T2T)) {
            out.printf(Locale.ROOT, "%nc2c / t2t mean latency through the job: %.2f×%n",
                    meanLatency(flink, Mode.C2C) / meanLatency(flink, Mode.T2T));
        }
        out.println();
        out.println(agreement(local, flink));
        out.flush();
    }

    /** Whether both runs predicted the same answer for every item and mode (both are item-major, mode order). */
    private static String agreement(List<ItemResult> local, List<ItemResult> flink) {
        if (local.size() != flink.size()) {
            return "predictions: the runs answered " + local.size() + " and " + flink.size() + " requests";
        }
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < local.size(); i++) {
            if (!Objects.equals(local.get(i).predicted(), flink.get(i).predicted())) {
                differing.add(local.get(i).id() + "/" + local.get(i).mode());
            }
        }
        return differing.isEmpty() ? "predictions: all " + local.size() + " agree"
                : "predictions: " + differing.size() + " of " + local.size() + " differ, first "
                        + differing.subList(0, Math.min(5, differing.size()));
    }

    private void soak(Path dir, List<Mode> wanted, C2cJobConfig config) throws Exception {
        // Enough items for the requests; later rounds reuse the questions under new ids, as new requests.
        List<BenchmarkItem> questions = ReplayCommand.heldOut(dir, Integer.MAX_VALUE).items();
        int sent = items == null ? SOAK_REQUESTS : items;
        int itemCount = (sent + wanted.size() - 1) / wanted.size();
        List<BenchmarkItem> rounds = new ArrayList<>(itemCount);
        for (int i = 0; i < itemCount; i++) {
            BenchmarkItem q = questions.get(i % questions.size());
            String id = i < questions.size() ? q.id() : q.id() + "#" + i / questions.size();
            rounds.add(new BenchmarkItem(q.benchmark(), q.subject(), id, q.question(), q.choices(), q.gold()));
        }
        long requests = (long) itemCount * wanted.size();
        AtomicLong done = new AtomicLong();
        // Per quarter of the answered requests: min, max and last RSS in kB.
        long[][] quarters = new long[4][];
        Thread sampler = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    record(quarters, (int) Math.min(3, done.get() * 4 / requests), residentKb());
                    Thread.sleep(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "soak (flink job)", requests);
        record(quarters, 0, residentKb());
        long start = System.nanoTime();
        sampler.start();
        try {
            FlinkReplay.run(rounds, wanted, config, r -> bar.update(done.incrementAndGet(), r.mode()));
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        record(quarters, 3, residentKb());
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%n%d requests through the job in %.1f s; resident memory (VmRSS, MiB) per quarter"
                + " of the answered requests:%n%n| quarter | min | max | last |%n|---|---|---|---|%n", requests,
                (System.nanoTime() - start) / 1e9);
        for (int q = 0; q < 4; q++) {
            long[] s = quarters[q];
            out.println(s == null ? String.format(Locale.ROOT, "| %d | – | – | – |", q + 1) : String.format(
                    Locale.ROOT, "| %d | %.0f | %.0f | %.0f |", q + 1, s[0] / 1024.0, s[1] / 1024.0, s[2] / 1024.0));
        }
        out.flush();
    }

    private static synchronized void record(long[][] quarters, int quarter, long kb) {
        long[] s = quarters[quarter];
        quarters[quarter] = s == null ? new long[] {kb, kb, kb}
                : new long[] {Math.min(s[0], kb), Math.max(s[1], kb), kb};
    }

    /** This process's resident set in kB, from /proc (Linux). */
    private static long residentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException("/proc/self/status has no VmRSS line");
        } catch (IOException e) {
            throw new UncheckedIOException("--soak reads the resident memory from /proc/self/status (Linux only)", e);
        }
    }

    private Consumer<ItemResult> progress(String task, long total) {
        ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), task, total);
        long[] done = {0};
        return r -> bar.update(++done[0], r.mode());
    }

    private static double meanLatency(List<ItemResult> results, Mode mode) {
        return mean(results.stream().filter(r -> r.mode().equals(mode.wireName())).toList(), ItemResult::latencyMs);
    }

    private static double mean(List<ItemResult> results, ToDoubleFunction<ItemResult> value) {
        return results.stream().mapToDouble(value).average().orElse(Double.NaN);
    }
}
