package io.c2cstream.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code items.jsonl} and {@code summary.json} in the shapes of issue 3, point 9. */
class EvalJsonWritersTest {

    @TempDir
    Path dir;

    @Test
    void oneItemLinePerItemAndMode() throws IOException {
        Map<String, Double> stages = new LinkedHashMap<>();
        stages.put("sharer_prefill", 3.0);
        stages.put("receiver_prefill", 2.5);
        stages.put("fuse", 1.0);
        stages.put("decode", 6.0);
        Path file = dir.resolve("items.jsonl");
        try (ItemsJsonlWriter items = ItemsJsonlWriter.create(file)) {
            items.write(ItemResult.score(ScoreSummaryTest.LAW, "c2c", "The correct answer is \"B\"\n", 12.5, stages));
            items.write(ItemResult.score(ScoreSummaryTest.LAW, "receiver_only", "no idea", 4, Map.of()));
        }
        assertEquals(List.of(
                "{\"id\":\"law/0\",\"subject\":\"law\",\"mode\":\"c2c\",\"gold\":\"B\",\"predicted\":\"B\","
                        + "\"text\":\"The correct answer is \\\"B\\\"\",\"latency_ms\":12.5,\"stage_ms\":"
                        + "{\"sharer_prefill\":3.0,\"receiver_prefill\":2.5,\"fuse\":1.0,\"decode\":6.0}}",
                "{\"id\":\"law/0\",\"subject\":\"law\",\"mode\":\"receiver_only\",\"gold\":\"B\",\"predicted\":null,"
                        + "\"text\":\"no idea\",\"latency_ms\":4.0,\"stage_ms\":{}}"),
                Files.readAllLines(file));
    }

    @Test
    void summaryShape() throws IOException {
        List<ItemResult> results = List.of(
                ItemResult.score(ScoreSummaryTest.LAW, "c2c", "B", 10, Map.of()),
                ItemResult.score(ScoreSummaryTest.ART, "c2c", "C", 30, Map.of()));
        Path file = dir.resolve("summary.json");
        SummaryJsonWriter.write(file, ScoreSummary.of("mmlu-redux:dir", Map.of("error_type expert", 1), results));

        JsonNode expected = new ObjectMapper().readTree("""
                {"benchmark": "mmlu-redux:dir", "items": 2, "skipped": {"error_type expert": 1},
                 "modes": {"c2c": {"accuracy": 0.5, "correct": 1, "total": 2,
                                   "latency_ms": {"mean": 20.0, "p50": 20.0, "p95": 29.0},
                                   "subjects": {"art": {"accuracy": 0.0, "correct": 0, "total": 1},
                                                "law": {"accuracy": 1.0, "correct": 1, "total": 1}}}}}
                """);
        assertEquals(expected, new ObjectMapper().readTree(file.toFile()));
    }
}
