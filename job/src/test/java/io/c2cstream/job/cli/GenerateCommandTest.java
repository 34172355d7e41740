package io.c2cstream.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.c2cstream.engine.llama2c.Llama2cFixtures;
import io.c2cstream.engine.llama2c.Llama2cImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    private Path tinyModel() {
        Llama2cFixtures.writeCheckpoint(
                Llama2cFixtures.randomCheckpoint(Llama2cFixtures.tinyConfig(true), 5), dir.resolve("model.bin"));
        Llama2cFixtures.writeTokenizer(dir.resolve("tok.bin"));
        return Llama2cImporter.importModel(dir.resolve("model.bin"), dir.resolve("tok.bin"), dir.resolve("hf")).dir();
    }

    @Test
    void printsTheContinuationThenItsSpeed() {
        Path model = tinyModel();
        int exit = cli.run("generate", "--model", model.toString(), "--prompt", "ab", "--max-new-tokens", "5");
        assertEquals(0, exit, cli.err.toString());
        String report = cli.out.toString();
        assertTrue(report.matches("(?s).*\\[\\d+ prompt tokens, \\d+ generated \\((stop_token|max_tokens)\\); prefill [0-9.]+ ms,"
                + " [0-9.]+ ms/token, [0-9.]+ tokens/s\\]\\s*"), report);
    }

    @Test
    void sampledGenerationIsReproducibleWithASeed() {
        Path model = tinyModel();
        String[] args = {"generate", "--model", model.toString(), "--prompt", "ab", "--max-new-tokens", "8",
            "--temperature", "1.5", "--top-k", "10", "--seed", "7"};
        assertEquals(0, cli.run(args), cli.err.toString());
        String first = cli.out.toString().split("\n\\[")[0];
        cli.out.getBuffer().setLength(0);
        assertEquals(0, cli.run(args), cli.err.toString());
        assertEquals(first, cli.out.toString().split("\n\\[")[0]);
    }

    @Test
    void aMissingModelDirectoryIsOneLineAndExitCodeOne() {
        int exit = cli.run("generate", "--model", dir.resolve("absent").toString(), "--prompt", "x");
        assertEquals(1, exit);
        assertTrue(cli.err.toString().startsWith("c2c generate: "), cli.err.toString());
    }
}
