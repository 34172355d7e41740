package io.c2cstream.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ARC-Challenge in Hugging Face's and AI2's JSON layouts, with the method's §6.1 answer-key rule. */
class ArcReaderTest {

    @TempDir
    Path dir;

    static final String HF = """
            {"id": "q1", "question": "Which?", \
            "choices": {"text": ["w", "x", "y", "z"], "label": ["A", "B", "C", "D"]}, "answerKey": "C"}
            """;
    static final String AI2 = """
            {"id": "q2", "question": {"stem": "Why?", \
            "choices": [{"text": "a", "label": "A"}, {"text": "b", "label": "B"}, {"text": "c", "label": "C"}]}, \
            "answerKey": "B"}
            """;

    @Test
    void readsBothLayoutsInOneFile() throws IOException {
        BenchmarkSet set = new ArcReader().read(write("arc.jsonl", HF + AI2));
        assertEquals(List.of(new BenchmarkItem("arc", null, "q1", "Which?", List.of("w", "x", "y", "z"), "C"),
                new BenchmarkItem("arc", null, "q2", "Why?", List.of("a", "b", "c"), "B")), set.items());
        assertEquals(Map.of(), set.skipped());
    }

    @Test
    void optionsAreRelabelledByPositionAndOnlyAnswerKeysAToDCount() throws IOException {
        String rows = """
                {"id": "numeric", "question": "q", \
                "choices": {"text": ["1", "2", "3", "4"], "label": ["1", "2", "3", "4"]}, "answerKey": "2"}
                {"id": "fiveE", "question": "q", \
                "choices": {"text": ["a", "b", "c", "d", "e"], "label": ["A", "B", "C", "D", "E"]}, "answerKey": "E"}
                {"id": "fiveD", "question": "q", \
                "choices": {"text": ["a", "b", "c", "d", "e"], "label": ["A", "B", "C", "D", "E"]}, "answerKey": "D"}
                """;
        BenchmarkSet set = new ArcReader().read(write("arc.jsonl", rows));
        assertEquals(List.of(new BenchmarkItem("arc", null, "fiveD", "q", List.of("a", "b", "c", "d", "e"), "D")),
                set.items());
        assertEquals(Map.of(McqJsonRow.ANSWER_KEY_NOT_A_TO_D, 2), set.skipped());
    }

    @Test
    void rowsWithMissingOrMalformedFieldsAreCountedNotThrown() throws IOException {
        String rows = HF
                + "{\"id\": \"noQuestion\", \"choices\": {\"text\": [\"a\"]}, \"answerKey\": \"A\"}\n"
                + "{\"id\": \"noKey\", \"question\": \"q\", \"choices\": {\"text\": [\"a\"]}}\n"
                + "{\"id\": \"noStem\", \"question\": {\"choices\": []}, \"answerKey\": \"A\"}\n"
                + "{\"id\": \"badChoices\", \"question\": \"q\", \"choices\": \"a b\", \"answerKey\": \"A\"}\n"
                + "{\"question\": \"no id\", \"choices\": {\"text\": [\"a\"]}, \"answerKey\": \"A\"}\n"
                + "{not json\n"
                + "\n";
        BenchmarkSet set = new ArcReader().read(write("arc.jsonl", rows));
        assertEquals(List.of("q1"), set.items().stream().map(BenchmarkItem::id).toList());
        assertEquals(Map.of("missing field 'question'", 1, "missing field 'answerKey'", 1,
                "missing field 'question.stem'", 1, "malformed field 'choices'", 1, "missing field 'id'", 1,
                JsonRows.MALFORMED_LINE, 1), set.skipped());
        assertEquals(6, set.skippedTotal());
    }

    @Test
    void aDirectoryIsReadFileByFileInNameOrderIgnoringOtherFiles() throws IOException {
        write("b.jsonl", HF);
        write("a.jsonl", AI2);
        write("notes.txt", "not a benchmark");
        BenchmarkSet set = new ArcReader().read(dir);
        assertEquals(List.of("q2", "q1"), set.items().stream().map(BenchmarkItem::id).toList());
    }

    @Test
    void aMissingPathOrAnEmptyDirectoryIsAnError() {
        assertThrows(NoSuchFileException.class, () -> new ArcReader().read(dir.resolve("absent.jsonl")));
        assertThrows(NoSuchFileException.class, () -> new ArcReader().read(dir));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
