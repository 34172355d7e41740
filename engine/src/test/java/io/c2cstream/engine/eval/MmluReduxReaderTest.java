package io.c2cstream.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MMLU-Redux rows with the §6.1 filters: error types skipped and corrected ground truths. */
class MmluReduxReaderTest {

    @TempDir
    Path dir;

    @Test
    void subjectFromFileNameIdsFromRowNumbers() throws IOException {
        write("virology.jsonl", row("ok", 2, null) + row("bad_question_clarity", 0, "\"0\""));
        BenchmarkSet set = new MmluReduxReader().read(dir);
        assertEquals(List.of(
                new BenchmarkItem("mmlu-redux", "virology", "virology/0", "q", List.of("w", "x", "y", "z"), "C"),
                new BenchmarkItem("mmlu-redux", "virology", "virology/1", "q", List.of("w", "x", "y", "z"), "A")),
                set.items());
    }

    @Test
    void noCorrectAnswerAndExpertRowsAreSkipped() throws IOException {
        BenchmarkSet set = new MmluReduxReader().read(
                write("law.jsonl", row("no_correct_answer", 1, null) + row("expert", 1, null) + row("ok", 1, null)));
        assertEquals(List.of("law/2"), set.items().stream().map(BenchmarkItem::id).toList());
        assertEquals(Map.of("error_type no_correct_answer", 1, "error_type expert", 1), set.skipped());
    }

    @Test
    void wrongGroundTruthUsesCorrectAnswerAsDigitOrLetterElseTheAnswerIndex() throws IOException {
        BenchmarkSet set = new MmluReduxReader().read(write("law.jsonl",
                row("wrong_groundtruth", 3, "\"0\"")
                        + row("wrong_groundtruth", 0, "\"B\"")
                        + row("wrong_groundtruth", 2, null)
                        + row("multiple_correct_answers", 3, "\"1\"")));
        assertEquals(List.of("A", "B", "C", "D"), set.items().stream().map(BenchmarkItem::gold).toList());
    }

    @Test
    void rowsWithoutErrorTypeAreKeptAndRowsMissingFieldsCounted() throws IOException {
        String rows = "{\"question\": \"q\", \"choices\": [\"a\", \"b\"], \"answer\": \"1\"}\n"
                + "{\"choices\": [\"a\", \"b\"], \"answer\": 1, \"error_type\": \"ok\"}\n"
                + "{\"question\": \"q\", \"answer\": 1, \"error_type\": \"ok\"}\n"
                + "{\"question\": \"q\", \"choices\": [\"a\", \"b\"], \"error_type\": \"ok\"}\n"
                + "{\"question\": \"q\", \"choices\": [\"a\", \"b\"], \"answer\": \"one\", \"error_type\": \"ok\"}\n";
        BenchmarkSet set = new MmluReduxReader().read(write("law.jsonl", rows));
        assertEquals(List.of(new BenchmarkItem("mmlu-redux", "law", "law/0", "q", List.of("a", "b"), "B")),
                set.items());
        assertEquals(Map.of("missing field 'question'", 1, "missing field 'choices'", 1, "missing field 'answer'", 1,
                "malformed field 'answer'", 1), set.skipped());
    }

    private static String row(String errorType, int answer, String correctAnswer) {
        return "{\"question\": \"q\", \"choices\": [\"w\", \"x\", \"y\", \"z\"], \"answer\": " + answer
                + ", \"error_type\": \"" + errorType + "\", \"source\": null, \"correct_answer\": " + correctAnswer
                + ", \"potential_reason\": null}\n";
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
