package io.c2cstream.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code c2c bench-job} runs end to end on a couple of zoo items; its numbers are not checked. */
class BenchJobCommandTest {
    private static final Path ZOO = Path.of("..", "zoo");

    @Test
    void comparesTheJobWithTheEngineOnlyLoop() {
        CliRun cli = new CliRun();
        int exit = cli.run("bench-job", "--zoo", ZOO.toString(), "--items", "2", "--modes", "t2t,c2c",
                "--t2t-max-new-tokens", "8");
        assertEquals(0, exit, cli.err.toString());
        String out = cli.out.toString();
        assertTrue(out.contains("throughput flink / engine-only") && out.contains("| c2c |")
                && out.contains("c2c / t2t mean latency") && out.contains("predictions: all 4 agree"), out);
    }

    @Test
    void soaksTheJobWatchingResidentMemory() {
        CliRun cli = new CliRun();
        int exit = cli.run("bench-job", "--zoo", ZOO.toString(), "--soak", "--items", "3", "--modes", "receiver_only");
        assertEquals(0, exit, cli.err.toString());
        assertTrue(cli.out.toString().contains("3 requests through the job") && cli.out.toString().contains("| 4 |"),
                cli.out.toString());
    }
}
