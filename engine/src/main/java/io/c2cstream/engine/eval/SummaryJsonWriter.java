package io.c2cstream.engine.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes {@code summary.json}: accuracy, per-subject accuracy and latency per mode (see {@link ScoreSummary}). */
public final class SummaryJsonWriter {

    private SummaryJsonWriter() {}

    public static void write(Path file, ScoreSummary summary) throws IOException {
        String json = EvalJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(EvalJson.summary(summary));
        Files.writeString(file, json + "\n", StandardCharsets.UTF_8);
    }
}
