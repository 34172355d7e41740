package io.c2cstream.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scoring: §6.3 correctness per item, micro-averaged accuracy per mode and per subject. */
class ScoreSummaryTest {

    static final BenchmarkItem LAW = new BenchmarkItem("mmlu-redux", "law", "law/0", "q", List.of("a", "b"), "B");
    static final BenchmarkItem LAW2 = new BenchmarkItem("mmlu-redux", "law", "law/1", "q", List.of("a", "b"), "A");
    static final BenchmarkItem ART = new BenchmarkItem("mmlu-redux", "art", "art/0", "q", List.of("a", "b"), "A");

    @Test
    void anItemIsScoredFromItsDecodedReply() {
        ItemResult result = ItemResult.score(LAW, "c2c", "\nThe correct answer is B.\n", 12.5, Map.of("decode", 9.0));
        assertEquals(new ItemResult("law/0", "law", "c2c", "B", "B", "The correct answer is B.", 12.5,
                Map.of("decode", 9.0)), result);
        assertTrue(result.correct());
        ItemResult none = ItemResult.score(LAW, "c2c", "I do not know", 1, Map.of());
        assertNull(none.predicted());
        assertFalse(none.correct());
    }

    @Test
    void accuracyPerModeAndSubjectWithLatencies() {
        List<ItemResult> results = List.of(
                ItemResult.score(LAW, "c2c", "B", 10, Map.of()),
                ItemResult.score(LAW2, "c2c", "B", 20, Map.of()),
                ItemResult.score(ART, "c2c", "A", 30, Map.of()),
                ItemResult.score(LAW, "receiver_only", "A", 40, Map.of()),
                ItemResult.score(LAW2, "receiver_only", "", 50, Map.of()),
                ItemResult.score(ART, "receiver_only", "A", 60, Map.of()));
        ScoreSummary summary = ScoreSummary.of("mmlu-redux:dir", Map.of("error_type expert", 2), results);

        assertEquals(3, summary.items());
        assertEquals(List.of("c2c", "receiver_only"), List.copyOf(summary.modes().keySet()));
        ScoreSummary.ModeScore c2c = summary.modes().get("c2c");
        assertEquals(new Accuracy(2, 3), c2c.accuracy());
        assertEquals(Map.of("art", new Accuracy(1, 1), "law", new Accuracy(1, 2)), c2c.subjects());
        assertEquals(new LatencyStats(20, 20, 29), c2c.latency());
        ScoreSummary.ModeScore receiver = summary.modes().get("receiver_only");
        assertEquals(new Accuracy(1, 3), receiver.accuracy());
        assertEquals(Map.of("art", new Accuracy(1, 1), "law", new Accuracy(0, 2)), receiver.subjects());
    }

    @Test
    void benchmarksWithoutSubjectsHaveNoSubjectScores() {
        BenchmarkItem arc = new BenchmarkItem("arc", null, "Mercury_1", "q", List.of("a", "b"), "A");
        ScoreSummary summary =
                ScoreSummary.of("arc:f", Map.of(), List.of(ItemResult.score(arc, "t2t", "A", 5, Map.of())));
        assertEquals(Map.of(), summary.modes().get("t2t").subjects());
        assertEquals(1.0, summary.modes().get("t2t").accuracy().value());
    }
}
