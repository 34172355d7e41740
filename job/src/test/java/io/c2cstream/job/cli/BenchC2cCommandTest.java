package io.c2cstream.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code c2c bench-c2c} runs end to end on one-layer random models of the reference geometry; its numbers are not
 * checked. (Its {@code --benchmark} part needs a real tokenizer, whose vocabulary of about 152,000 tokens makes random models
 * of that geometry take most of a minute to build: it is run by hand, docs/benchmarks.md.)
 */
class BenchC2cCommandTest {
    @Test
    void timesEveryStageOfAPrompt() {
        CliRun cli = new CliRun();
        int exit = cli.run("bench-c2c", "--receiver-layers", "1", "--sharer-layers", "1", "--hidden", "16", "--tokens",
                "16", "--repetitions", "1");
        assertEquals(0, exit, cli.err.toString());
        String out = cli.out.toString();
        assertTrue(out.contains("| receiver prefill |") && out.contains("| sharer prefill |")
                && out.contains("| fuse (all gates open) |"), out);
    }
}
