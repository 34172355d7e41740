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

/** C-Eval's official CSV files: val and dev splits evaluated, the unlabelled test split counted as skipped. */
class CevalReaderTest {

    @TempDir
    Path dir;

    @Test
    void valRowsWithQuotedMultiLineFields() throws IOException {
        String csv = "id,question,A,B,C,D,answer\n"
                + "0,\"int main()\n{\n  puts(\"\"a,b\"\");\n}\n输出____\",a,\"a,b\",b,空,B\n"
                + "1,TCP____,主机,网络,进程,端口,C\n";
        BenchmarkSet set = new CevalReader().read(write("college_programming_val.csv", csv));
        assertEquals(List.of(
                new BenchmarkItem("ceval", "college_programming", "college_programming/0",
                        "int main()\n{\n  puts(\"a,b\");\n}\n输出____", List.of("a", "a,b", "b", "空"), "B"),
                new BenchmarkItem("ceval", "college_programming", "college_programming/1", "TCP____",
                        List.of("主机", "网络", "进程", "端口"), "C")), set.items());
    }

    @Test
    void testSplitRowsHaveNoAnswerAndAreCounted() throws IOException {
        write("law_test.csv", "id,question,A,B,C,D,answer\n0,q,a,b,c,d,\n1,q,a,b,c,d,\n");
        write("law_dev.csv", "id,question,A,B,C,D,answer,explanation\n0,q,a,b,c,d,D,because\n");
        write("logic_test.csv", "id,question,A,B,C,D\n0,q,a,b,c,d\n");
        BenchmarkSet set = new CevalReader().read(dir);
        assertEquals(List.of("law/0"), set.items().stream().map(BenchmarkItem::id).toList());
        assertEquals(Map.of(CevalReader.NO_ANSWER, 3), set.skipped());
    }

    @Test
    void rowsWithMissingFieldsOrOtherAnswersAreCounted() throws IOException {
        String csv = "id,question,A,B,C,D,answer\n"
                + "0,q,a,b,,d,A\n"
                + "1,,a,b,c,d,A\n"
                + "2,q,a,b\n"
                + "3,q,a,b,c,d,E\n"
                + "4,q,a,b,c,d,A\n";
        BenchmarkSet set = new CevalReader().read(write("law_val.csv", csv));
        assertEquals(List.of("law/4"), set.items().stream().map(BenchmarkItem::id).toList());
        assertEquals(Map.of("missing field 'C'", 2, "missing field 'question'", 1, CevalReader.ANSWER_NOT_A_TO_D, 1),
                set.skipped());
    }

    @Test
    void subjectIsTheFileNameWithoutSplit() {
        assertEquals("computer_network", CevalReader.subject(Path.of("computer_network_val.csv")));
        assertEquals("law", CevalReader.subject(Path.of("law_dev.csv")));
        assertEquals("law", CevalReader.subject(Path.of("law_test.csv")));
        assertEquals("logic", CevalReader.subject(Path.of("logic.csv")));
    }

    @Test
    void aCsvWithoutTheCevalHeaderIsAnError() throws IOException {
        Path file = write("law_val.csv", "question,answer\nq,A\n");
        IOException error = assertThrows(IOException.class, () -> new CevalReader().read(file));
        assertTrue(error.getMessage().contains("id,question,A,B,C,D,answer"), error.getMessage());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
