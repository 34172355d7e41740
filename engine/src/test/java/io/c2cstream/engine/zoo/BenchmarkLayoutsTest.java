package io.c2cstream.engine.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c2cstream.engine.eval.ArcReader;
import io.c2cstream.engine.eval.BenchmarkItem;
import io.c2cstream.engine.eval.BenchmarkSet;
import io.c2cstream.engine.eval.CevalReader;
import io.c2cstream.engine.eval.MmluReduxReader;
import io.c2cstream.engine.eval.OpenBookQaReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each layout is read back by the project's reader of the real benchmark as the same items. */
class BenchmarkLayoutsTest {

    @TempDir Path dir;

    private final List<BenchmarkItem> items = items();

    private static List<BenchmarkItem> items() {
        List<BenchmarkItem> items = new ArrayList<>(ZooQuestions.heldOut(ZooWorld.standard()));
        // Text that needs CSV quoting and JSON escaping, and parentheses that are no OpenBookQA label.
        items.add(new BenchmarkItem("zoo", null, "odd-0", "Which \"one\", if any (really)?",
                List.of("a, b", "say \"hi\"", "(B) not a label", "ünïcode"), "B"));
        return items;
    }

    @Test
    void arcJsonLinesReadBackAsTheSameItems() throws IOException {
        Path file = dir.resolve("arc.jsonl");
        BenchmarkLayouts.writeArc(file, items);
        BenchmarkSet set = new ArcReader().read(file);
        assertSame(set, ArcReader.BENCHMARK, null, true);
        assertEquals("{\"id\":\"odd-0\",\"question\":\"Which \\\"one\\\", if any (really)?\","
                + "\"choices\":{\"text\":[\"a, b\",\"say \\\"hi\\\"\",\"(B) not a label\",\"ünïcode\"],"
                + "\"label\":[\"A\",\"B\",\"C\",\"D\"]},\"answerKey\":\"B\"}",
                Files.readAllLines(file).get(items.size() - 1));
    }

    @Test
    void openBookQaTsvReadsBackAsTheSameItems() throws IOException {
        Path file = dir.resolve("test.tsv");
        BenchmarkLayouts.writeOpenBookQa(file, items);
        assertSame(new OpenBookQaReader().read(file), OpenBookQaReader.BENCHMARK, null, true);
        assertEquals("ID\tQuestion Stem\tChoices\tComplete Question\tAnswer Key", Files.readAllLines(file).get(0));
    }

    @Test
    void openBookQaTsvRefusesTabsAndLineBreaks() {
        BenchmarkItem tab = new BenchmarkItem("zoo", null, "t", "a\tb", List.of("x", "y"), "A");
        assertThrows(IllegalArgumentException.class,
                () -> BenchmarkLayouts.writeOpenBookQa(dir.resolve("bad.tsv"), List.of(tab)));
    }

    @Test
    void mmluReduxRowsReadBackAsTheSameItems() throws IOException {
        Path file = BenchmarkLayouts.writeMmluRedux(dir, "zoo", "zoo world", items);
        assertEquals(dir.resolve("zoo.jsonl"), file);
        assertSame(new MmluReduxReader().read(dir), MmluReduxReader.BENCHMARK, "zoo", false);
    }

    @Test
    void cevalCsvReadsBackAsTheSameItems() throws IOException {
        Path file = BenchmarkLayouts.writeCeval(dir, "zoo", items);
        assertEquals(dir.resolve("zoo_val.csv"), file);
        assertSame(new CevalReader().read(dir), CevalReader.BENCHMARK, "zoo", false);
    }

    private void assertSame(BenchmarkSet set, String benchmark, String subject, boolean sameIds) {
        assertEquals(0, set.skippedTotal(), set.skipped().toString());
        assertEquals(items.size(), set.items().size());
        for (int i = 0; i < items.size(); i++) {
            BenchmarkItem expected = items.get(i);
            BenchmarkItem read = set.items().get(i);
            assertEquals(benchmark, read.benchmark());
            assertEquals(subject, read.subject());
            assertEquals(sameIds ? expected.id() : subject + "/" + i, read.id());
            assertEquals(expected.question(), read.question());
            assertEquals(expected.choices(), read.choices());
            assertEquals(expected.gold(), read.gold());
        }
    }
}
