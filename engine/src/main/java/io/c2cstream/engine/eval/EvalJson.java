package io.c2cstream.engine.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** The JSON shapes of the evaluation outputs (issue 3, point 9): field names and order live here only. */
final class EvalJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private EvalJson() {}

    /** {@code {"id", "subject", "mode", "gold", "predicted", "text", "latency_ms", "stage_ms": {stage: ms}}} */
    static ObjectNode item(ItemResult result) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("id", result.id())
                .put("subject", result.subject())
                .put("mode", result.mode())
                .put("gold", result.gold())
                .put("predicted", result.predicted())
                .put("text", result.text())
                .put("latency_ms", result.latencyMs());
        ObjectNode stages = node.putObject("stage_ms");
        result.stageMillis().forEach(stages::put);
        return node;
    }

    /**
     * {@code {"benchmark", "items", "skipped": {reason: n}, "modes": {mode: {"accuracy", "correct", "total",
     * "latency_ms": {"mean", "p50", "p95"}, "subjects": {subject: {"accuracy", "correct", "total"}}}}}}
     */
    static ObjectNode summary(ScoreSummary summary) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("benchmark", summary.benchmark())
                .put("items", summary.items());
        ObjectNode skipped = node.putObject("skipped");
        summary.skipped().forEach(skipped::put);
        ObjectNode modes = node.putObject("modes");
        for (Map.Entry<String, ScoreSummary.ModeScore> mode : summary.modes().entrySet()) {
            ScoreSummary.ModeScore score = mode.getValue();
            ObjectNode modeNode = accuracy(modes.putObject(mode.getKey()), score.accuracy());
            modeNode.putObject("latency_ms")
                    .put("mean", score.latency().mean())
                    .put("p50", score.latency().p50())
                    .put("p95", score.latency().p95());
            ObjectNode subjects = modeNode.putObject("subjects");
            score.subjects().forEach((subject, accuracy) -> accuracy(subjects.putObject(subject), accuracy));
        }
        return node;
    }

    private static ObjectNode accuracy(ObjectNode node, Accuracy accuracy) {
        return node.put("accuracy", accuracy.value()).put("correct", accuracy.correct()).put("total", accuracy.total());
    }
}
