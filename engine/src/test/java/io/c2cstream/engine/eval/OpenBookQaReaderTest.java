package io.c2cstream.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenBookQA in Hugging Face's JSON Lines, AI2's JSON Lines and AI2's official TSV. */
class OpenBookQaReaderTest {

    @TempDir
    Path dir;

    static final String TSV_HEADER = "ID\tQuestion Stem\tChoices\tComplete Question\tAnswer Key\n";

    @Test
    void huggingFaceAndAi2JsonLines() throws IOException {
        String rows = """
                {"id": "7-980", "question_stem": "The sun is", \
                "choices": {"text": ["hot", "cold", "wet", "blue"], "label": ["A", "B", "C", "D"]}, "answerKey": "A"}
                {"id": "7-981", "question": {"stem": "Ice is", \
                "choices": [{"text": "hot", "label": "A"}, {"text": "cold", "label": "B"}]}, "answerKey": "B"}
                """;
        BenchmarkSet set = new OpenBookQaReader().read(write("obqa.jsonl", rows));
        assertEquals(List.of(
                new BenchmarkItem("openbookqa", null, "7-980", "The sun is",
                        List.of("hot", "cold", "wet", "blue"), "A"),
                new BenchmarkItem("openbookqa", null, "7-981", "Ice is", List.of("hot", "cold"), "B")), set.items());
    }

    @Test
    void ai2Tsv() throws IOException {
        String tsv = TSV_HEADER
                + "8-343\tTo save money\t(A) call (B) quit eating out (C) buy (D) dine\tTo save money (A) …\tB\r\n"
                + "1129\tFog is likely around:\t(A) a marsh (B) a tundra (C) the plains (D) a desert\tFog …\tA\n";
        BenchmarkSet set = new OpenBookQaReader().read(write("test.tsv", tsv));
        assertEquals(List.of(
                new BenchmarkItem("openbookqa", null, "8-343", "To save money",
                        List.of("call", "quit eating out", "buy", "dine"), "B"),
                new BenchmarkItem("openbookqa", null, "1129", "Fog is likely around:",
                        List.of("a marsh", "a tundra", "the plains", "a desert"), "A")), set.items());
    }

    @Test
    void tsvRowsWithMissingFieldsOrOtherAnswerKeysAreCounted() throws IOException {
        String tsv = TSV_HEADER
                + "1\tq\t(A) a (B) b\tq …\n"
                + "2\tq\t(A) a (B) b\tq …\t\n"
                + "3\tq\tno labels here\tq …\tA\n"
                + "4\tq\t(A) a (B) b\tq …\tE\n"
                + "5\tq\t(A) a (B) b\tq …\tA\n";
        BenchmarkSet set = new OpenBookQaReader().read(write("test.tsv", tsv));
        assertEquals(List.of("5"), set.items().stream().map(BenchmarkItem::id).toList());
        assertEquals(Map.of("missing field 'Answer Key'", 2, "malformed field 'Choices'", 1,
                McqJsonRow.ANSWER_KEY_NOT_A_TO_D, 1), set.skipped());
    }

    @Test
    void choicesSplitOnlyAtTheNextLabelInOrder() throws SkippedRow {
        assertEquals(List.of("x (C) y", "z"), OpenBookQaReader.splitChoices("(A) x (C) y (B) z"));
        assertEquals(List.of("(parenthesised)", "b (A) c"),
                OpenBookQaReader.splitChoices("(A) (parenthesised) (B) b (A) c"));
    }

    @Test
    void aFileOfNeitherLayoutIsAnErrorListingTheExpectedColumns() throws IOException {
        Path file = write("other.tsv", "a\tb\n1\t2\n");
        IOException error = assertThrows(IOException.class, () -> new OpenBookQaReader().read(file));
        assertTrue(error.getMessage().contains("ID, Question Stem, Choices, Answer Key"), error.getMessage());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
