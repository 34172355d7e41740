package io.c2cstream.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.c2cstream.engine.generate.TinyChatModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    private Path arcFile() throws IOException {
        Path file = dir.resolve("arc.jsonl");
        Files.write(file, List.of(
                "{\"id\":\"q1\",\"question\":\"abc?\",\"choices\":{\"text\":[\"a\",\"b\",\"c\",\"i\"],\"label\":[\"A\",\"B\",\"C\",\"D\"]},\"answerKey\":\"B\"}",
                "{\"id\":\"q2\",\"question\":\"ili?\",\"choices\":{\"text\":[\"a\",\"b\",\"c\",\"i\"],\"label\":[\"A\",\"B\",\"C\",\"D\"]},\"answerKey\":\"1\"}",
                "{\"id\":\"q3\",\"question\":{\"stem\":\"cab?\",\"choices\":[{\"text\":\"a\",\"label\":\"A\"},{\"text\":\"b\",\"label\":\"B\"},"
                        + "{\"text\":\"c\",\"label\":\"C\"},{\"text\":\"i\",\"label\":\"D\"}]},\"answerKey\":\"D\"}",
                "{\"id\":\"q4\",\"choices\":{\"text\":[\"a\"],\"label\":[\"A\"]},\"answerKey\":\"A\"}"));
        return file;
    }

    @Test
    void writesItemsAndASummaryPerMode() throws IOException {
        Path receiver = TinyChatModels.write(dir, "receiver", 1);
        Path sharer = TinyChatModels.write(dir, "sharer", 2);
        Path report = dir.resolve("report");
        int exit = cli.run("eval", "--receiver", receiver.toString(), "--sharer", sharer.toString(),
                "--benchmark", "arc:" + arcFile(), "--modes", "receiver_only,sharer_only,t2t", "--out", report.toString(),
                "--max-new-tokens", "4", "--t2t-max-new-tokens", "4");
        assertEquals(0, exit, cli.err.toString());
        List<String> items = Files.readAllLines(report.resolve("items.jsonl"));
        assertEquals(2 * 3, items.size(), "two items pass the ARC rules (a numeric key and a missing question are skipped)");
        JsonNode summary = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
        assertEquals("arc", summary.path("benchmark").asText());
        assertEquals(2, summary.path("items").asInt());
        for (String mode : List.of("receiver_only", "sharer_only", "t2t")) {
            assertEquals(2, summary.path("modes").path(mode).path("total").asInt(), mode);
            assertTrue(summary.path("modes").path(mode).path("latency_ms").has("p95"), mode);
        }
        assertTrue(cli.out.toString().contains("receiver_only"), cli.out.toString());
        assertTrue(cli.err.toString().contains("2 rows skipped"), cli.err.toString());
    }

    @Test
    void anUnknownFormatOrModeIsOneLine() throws IOException {
        Path receiver = TinyChatModels.write(dir, "receiver", 1);
        assertEquals(1, cli.run("eval", "--receiver", receiver.toString(), "--benchmark", "mmlu:" + arcFile(),
                "--out", dir.resolve("r").toString()));
        assertTrue(cli.err.toString().contains("unknown benchmark format 'mmlu'"), cli.err.toString());
        assertEquals(1, cli.run("eval", "--receiver", receiver.toString(), "--benchmark", "arc:" + arcFile(),
                "--modes", "c3c", "--out", dir.resolve("r").toString()));
        assertTrue(cli.err.toString().contains("unknown mode \"c3c\""), cli.err.toString());
    }
}
