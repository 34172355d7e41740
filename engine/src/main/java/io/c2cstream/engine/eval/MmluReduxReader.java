package io.c2cstream.engine.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * MMLU-Redux ({@code edinburgh-dawg/mmlu-redux-2.0}) from Hugging Face rows in JSON Lines, one file per subject
 * named after it ({@code astronomy.jsonl}): {@code question, choices[list], answer[int], error_type, source,
 * correct_answer, potential_reason}. Ids are {@code subject/row}, the row counted from 0 as in the dataset.
 *
 * <p>Method §6.1, as the reference's {@code parse_answer}: rows whose {@code error_type} is
 * {@code no_correct_answer} or {@code expert} are skipped; for {@code wrong_groundtruth} the gold answer is
 * {@code correct_answer} when present (a digit 0-3 is an index, any other single character is the answer as
 * written), otherwise, and for every other error type, it is option number {@code answer}.
 */
public final class MmluReduxReader implements BenchmarkReader {

    public static final String BENCHMARK = "mmlu-redux";

    private static final Set<String> SKIPPED_ERROR_TYPES = Set.of("no_correct_answer", "expert");

    @Override
    public BenchmarkSet read(Path path) throws IOException {
        BenchmarkSet.Builder set = new BenchmarkSet.Builder(BENCHMARK);
        for (Path file : BenchmarkFiles.list(path, BENCHMARK, "jsonl")) {
            String subject = BenchmarkFiles.stem(file);
            JsonRows.forEach(file, set, (row, index) -> set.addRow(() -> item(subject, row, index)));
        }
        return set.build();
    }

    private static BenchmarkItem item(String subject, JsonNode row, int index) throws SkippedRow {
        // The reference reads error_type with a default, so rows without one (plain MMLU) are kept.
        JsonNode errorType = row.get("error_type");
        String error = errorType != null && errorType.isTextual() ? errorType.textValue() : "";
        if (SKIPPED_ERROR_TYPES.contains(error)) {
            throw new SkippedRow("error_type " + error);
        }
        String question = JsonRows.text(row, "question");
        List<String> choices = JsonRows.texts(row, "choices");
        if (choices.isEmpty() || choices.size() > BenchmarkItem.MAX_CHOICES) {
            throw SkippedRow.malformedField("choices");
        }
        String gold = error.equals("wrong_groundtruth") && hasValue(row, "correct_answer")
                ? correctedGold(row.get("correct_answer"))
                : BenchmarkItem.label(answerIndex(row));
        return new BenchmarkItem(BENCHMARK, subject, subject + "/" + index, question, choices, gold);
    }

    private static boolean hasValue(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value != null && !value.isNull();
    }

    /** {@code correct_answer} is a string holding a digit 0-3 or a letter. */
    private static String correctedGold(JsonNode correctAnswer) throws SkippedRow {
        String answer = correctAnswer.asText();
        if (answer.length() != 1) {
            throw SkippedRow.malformedField("correct_answer");
        }
        char c = answer.charAt(0);
        // chr(65 + int(c)) for '0'..'3', else chr(65 + ord(c) - ord('A')), i.e. c itself.
        return c >= '0' && c <= '3' ? BenchmarkItem.label(c - '0') : answer;
    }

    /** {@code int(answer)}: an integer or a string of one. */
    private static int answerIndex(JsonNode row) throws SkippedRow {
        JsonNode answer = JsonRows.field(row, "answer");
        try {
            int index = answer.isIntegralNumber() ? answer.intValue() : Integer.parseInt(answer.asText().strip());
            if (index < 0 || index >= BenchmarkItem.MAX_CHOICES) {
                throw SkippedRow.malformedField("answer");
            }
            return index;
        } catch (NumberFormatException e) {
            throw SkippedRow.malformedField("answer");
        }
    }
}
