package io.c2cstream.engine.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenBookQA from Hugging Face's JSON Lines ({@code question_stem}, {@code choices}, {@code answerKey}), AI2's
 * original JSON Lines (see {@link McqJsonRow}) or AI2's official TSV, recognised by content. The TSV has the
 * header {@code ID, Question Stem, Choices, Complete Question, Answer Key} and the options in one field,
 * {@code "(A) … (B) … (C) … (D) …"}; it is unquoted, so no field holds a tab or a line break. Method §6.1:
 * only rows whose answer key is A-D count.
 */
public final class OpenBookQaReader implements BenchmarkReader {

    public static final String BENCHMARK = "openbookqa";

    static final List<String> TSV_COLUMNS = List.of("ID", "Question Stem", "Choices", "Answer Key");

    @Override
    public BenchmarkSet read(Path path) throws IOException {
        BenchmarkSet.Builder set = new BenchmarkSet.Builder(BENCHMARK);
        for (Path file : BenchmarkFiles.list(path, BENCHMARK, "jsonl", "json", "tsv")) {
            if (isJsonLines(file)) {
                JsonRows.forEach(file, set,
                        (row, index) -> set.addRow(() -> McqJsonRow.parse(BENCHMARK, row, "question_stem")));
            } else {
                readTsv(file, set);
            }
        }
        return set.build();
    }

    private static boolean isJsonLines(Path file) throws IOException {
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    return line.strip().startsWith("{");
                }
            }
            return false;
        }
    }

    private static void readTsv(Path file, BenchmarkSet.Builder set) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> header = lines.isEmpty() ? List.of() : fields(lines.get(0)).stream().map(String::strip).toList();
        int[] columns = new int[TSV_COLUMNS.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = header.indexOf(TSV_COLUMNS.get(i));
            if (columns[i] < 0) {
                throw new IOException(file + ": neither JSON Lines nor AI2's OpenBookQA TSV; a TSV needs a header"
                        + " with the columns " + String.join(", ", TSV_COLUMNS) + ", found " + header);
            }
        }
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                List<String> row = fields(line);
                set.addRow(() -> tsvItem(row, columns));
            }
        }
    }

    private static List<String> fields(String line) {
        return List.of(line.stripTrailing().split("\t", -1));
    }

    private static BenchmarkItem tsvItem(List<String> row, int[] columns) throws SkippedRow {
        String id = column(row, columns, 0);
        String question = column(row, columns, 1);
        List<String> choices = splitChoices(column(row, columns, 2));
        String answerKey = column(row, columns, 3).strip();
        if (!BenchmarkItem.A_TO_D.contains(answerKey)) {
            throw new SkippedRow(McqJsonRow.ANSWER_KEY_NOT_A_TO_D);
        }
        return new BenchmarkItem(BENCHMARK, null, id, question, choices, answerKey);
    }

    private static String column(List<String> row, int[] columns, int which) throws SkippedRow {
        int at = columns[which];
        if (at >= row.size() || row.get(at).isBlank()) {
            throw SkippedRow.missingField(TSV_COLUMNS.get(which));
        }
        return row.get(at);
    }

    /** {@code "(A) a marsh (B) a tundra"} gives {@code [a marsh, a tundra]}: labels must run A, B, ... in order. */
    static List<String> splitChoices(String field) throws SkippedRow {
        String choices = field.strip();
        if (!choices.startsWith("(A) ")) {
            throw SkippedRow.malformedField("Choices");
        }
        List<String> texts = new ArrayList<>();
        int start = "(A) ".length();
        while (true) {
            boolean lastLabel = texts.size() + 1 == BenchmarkItem.MAX_CHOICES;
            // The next label, not any "(X) ": an option may itself contain parentheses.
            String next = lastLabel ? "" : " (" + BenchmarkItem.label(texts.size() + 1) + ") ";
            int end = lastLabel ? -1 : choices.indexOf(next, start);
            if (end < 0) {
                texts.add(choices.substring(start).strip());
                return texts;
            }
            texts.add(choices.substring(start, end).strip());
            start = end + next.length();
        }
    }
}
