package io.c2cstream.engine.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** JSON Lines rows and typed access to their fields, turning absent or ill-typed fields into skipped rows. */
final class JsonRows {

    static final String MALFORMED_LINE = "malformed JSON line";

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonRows() {}

    /** Handles one parsed row; {@code index} counts the file's non-blank lines from 0. */
    @FunctionalInterface
    interface RowHandler {
        void handle(JsonNode row, int index);
    }

    /** Feeds every JSON object of a JSON Lines file to {@code handler}; counts lines that are not one. */
    static void forEach(Path file, BenchmarkSet.Builder set, RowHandler handler) throws IOException {
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int index = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode row = parse(line);
                if (row == null) {
                    set.skip(MALFORMED_LINE);
                } else {
                    handler.handle(row, index);
                }
                index++;
            }
        }
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode row = JSON.readTree(line);
            return row != null && row.isObject() ? row : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A present, non-null field. */
    static JsonNode field(JsonNode row, String name) throws SkippedRow {
        JsonNode value = row.get(name);
        if (value == null || value.isNull()) {
            throw SkippedRow.missingField(name);
        }
        return value;
    }

    static String text(JsonNode row, String name) throws SkippedRow {
        JsonNode value = field(row, name);
        if (!value.isTextual()) {
            throw SkippedRow.malformedField(name);
        }
        return value.textValue();
    }

    /** An array of strings; numbers are written as Python would format them into a prompt. */
    static List<String> texts(JsonNode row, String name) throws SkippedRow {
        JsonNode value = field(row, name);
        if (!value.isArray()) {
            throw SkippedRow.malformedField(name);
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual() && !element.isIntegralNumber()) {
                throw SkippedRow.malformedField(name);
            }
            texts.add(element.asText());
        }
        return texts;
    }
}
