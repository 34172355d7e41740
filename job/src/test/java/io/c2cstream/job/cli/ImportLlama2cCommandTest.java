package io.c2cstream.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.c2cstream.engine.checkpoint.HfCheckpoint;
import io.c2cstream.engine.llama2c.Llama2cFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportLlama2cCommandTest {
    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    @Test
    void importsASyntheticCheckpoint() {
        Llama2cFixtures.writeCheckpoint(
                Llama2cFixtures.randomCheckpoint(Llama2cFixtures.tinyConfig(false), 3), dir.resolve("model.bin"));
        Llama2cFixtures.writeTokenizer(dir.resolve("tok.bin"));
        Path hf = dir.resolve("hf");

        int exit = cli.run("import-llama2c", "--checkpoint", dir.resolve("model.bin").toString(),
                "--tokenizer", dir.resolve("tok.bin").toString(), "--out", hf.toString());

        assertEquals(0, exit, cli.err.toString());
        String report = cli.out.toString();
        assertTrue(report.contains("dim 16, hidden 24, 2 layers, 2 heads (1 key/value, head dim 8), context 8"), report);
        assertTrue(report.contains("21 f32 tensors, classifier separate (lm_head.weight)"), report);
        assertTrue(report.contains("vocab size " + Llama2cFixtures.vocabularySize()), report);
        for (String file : new String[] {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "generation_config.json"}) {
            assertTrue(Files.exists(hf.resolve(file)), file);
        }
        try (HfCheckpoint checkpoint = HfCheckpoint.open(hf)) {
            assertTrue(checkpoint.has("lm_head.weight"));
        }
    }

    @Test
    void aMissingCheckpointIsOneLineAndExitCodeOne() {
        int exit = cli.run("import-llama2c", "--checkpoint", dir.resolve("nope.bin").toString(),
                "--tokenizer", dir.resolve("tok.bin").toString(), "--out", dir.resolve("hf").toString());
        assertEquals(1, exit);
        assertTrue(cli.err.toString().startsWith("c2c import-llama2c: llama2.c checkpoint "), cli.err.toString());
        assertFalse(cli.err.toString().contains("\tat "), "no stack trace for a user error");
    }

    @Test
    void missingOptionsAndSubcommandAreUsageErrors() {
        assertEquals(2, cli.run("import-llama2c", "--checkpoint", "x.bin"));
        assertTrue(cli.err.toString().contains("Missing required options: '--tokenizer=FILE', '--out=DIR'"), cli.err.toString());
        assertEquals(2, cli.run());
        assertEquals(0, cli.run("--help"));
        assertTrue(cli.out.toString().contains("import-llama2c"), cli.out.toString());
    }
}
