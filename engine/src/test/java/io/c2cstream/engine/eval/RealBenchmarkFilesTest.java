package io.c2cstream.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.c2cstream.engine.RealData;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every real benchmark file of {@code $C2C_REALDATA/benchmarks} (shared/realdata/README.md), read through the
 * same {@code FORMAT:PATH} specs the CLI takes; counts follow method §6.1 and were checked against the files.
 */
class RealBenchmarkFilesTest {

    @Test
    void arcChallengeKeepsAll1172RowsBecauseEveryAnswerKeyIsAToD() throws IOException {
        BenchmarkSet set = read("arc", "arc-challenge-test.jsonl");
        // The method quotes 1,150 of 1,172 from a third party; this copy has no numeric or E answer keys (its 4
        // three-option and 3 five-option rows all answer A-D), so the rule skips none of its 1,172 rows.
        assertEquals(1172, set.items().size());
        assertEquals(Map.of(), set.skipped());
        assertEquals(new BenchmarkItem("arc", null, "Mercury_7175875",
                "An astronomer observes that a planet rotates faster after a meteorite impact. Which is the most"
                        + " likely effect of this increase in rotation?",
                List.of("Planetary density will decrease.", "Planetary years will become longer.",
                        "Planetary days will become shorter.", "Planetary gravity will become stronger."),
                "C"), set.items().get(0));
        assertEquals(Map.of(3, 4, 4, 1165, 5, 3), set.items().stream().collect(
                Collectors.groupingBy(item -> item.choices().size(), TreeMap::new, Collectors.summingInt(i -> 1))));
        BenchmarkItem fiveOptions = item(set, "TIMSS_1995_8_J7");
        assertEquals(5, fiveOptions.choices().size());
        assertEquals("D", fiveOptions.gold());
    }

    @Test
    void openBookQaTsvHas500Items() throws IOException {
        BenchmarkSet set = read("openbookqa", "openbookqa-test.tsv");
        assertEquals(500, set.items().size());
        assertEquals(Map.of(), set.skipped());
        BenchmarkItem first = set.items().get(0);
        assertEquals("8-343", first.id());
        assertTrue(first.question().startsWith("A person wants to start saving money"), first.question());
        assertTrue(first.question().endsWith("they decide the best way to save money is to"), first.question());
        assertEquals(List.of("make more phone calls", "quit eating lunch out", "buy less with monopoly money",
                "have lunch with friends"), first.choices());
        assertEquals("B", first.gold());
        assertEquals(List.of("cold", "water", "heat", "humidity"), item(set, "7-7").choices());
    }

    @Test
    void mmluReduxKeeps392Of400RowsSkippingTheEightWithNoCorrectAnswer() throws IOException {
        BenchmarkSet set = read("mmlu-redux", "mmlu-redux");
        // No row is marked expert; 1 + 2 + 1 + 4 rows (by subject) have no correct answer.
        assertEquals(392, set.items().size());
        assertEquals(Map.of("error_type no_correct_answer", 8), set.skipped());
        assertEquals(Map.of("astronomy", 99L, "college_computer_science", 98L, "high_school_physics", 99L,
                "virology", 96L), set.items().stream().collect(Collectors.groupingBy(BenchmarkItem::subject,
                        Collectors.counting())));
        BenchmarkItem first = set.items().get(0);
        assertEquals("astronomy/0", first.id());
        assertEquals("Why is the Mars Exploration Rover Spirit currently tilted towards the north?", first.question());
        assertEquals(4, first.choices().size());
        assertEquals("Because one of its wheels broke.", first.choices().get(3));
        assertEquals("B", first.gold());
        // wrong_groundtruth rows: answer 3 corrected to "0", answer 0 to "2", answer 0 to "B".
        assertEquals("A", item(set, "astronomy/20").gold());
        assertEquals("C", item(set, "high_school_physics/0").gold());
        assertEquals("B", item(set, "virology/25").gold());
    }

    @Test
    void cevalValKeepsAll75RowsIncludingMultiLineQuotedQuestions() throws IOException {
        BenchmarkSet set = read("ceval", "ceval-val");
        assertEquals(75, set.items().size());
        assertEquals(Map.of(), set.skipped());
        assertEquals(Map.of("college_programming", 37L, "computer_network", 19L, "high_school_physics", 19L),
                set.items().stream().collect(Collectors.groupingBy(BenchmarkItem::subject, Collectors.counting())));
        BenchmarkItem first = set.items().get(0);
        assertEquals("college_programming/0", first.id());
        assertEquals("当采用分块查找时，数据的组织方式为____", first.question());
        assertEquals("数据分成若干块， 每块内数据有序", first.choices().get(0));
        assertEquals("B", first.gold());
        // A C++ listing: 19 line breaks and 6 quotes inside one quoted CSV field.
        String listing = item(set, "college_programming/2").question();
        assertEquals(334, listing.length());
        assertEquals(19, listing.chars().filter(c -> c == '\n').count());
        assertEquals(6, listing.chars().filter(c -> c == '"').count());
    }

    private static BenchmarkSet read(String format, String relativePath) throws IOException {
        String path = RealData.resolve("benchmarks/" + relativePath).toString();
        return BenchmarkSpec.parse(format + ":" + path).read();
    }

    private static BenchmarkItem item(BenchmarkSet set, String id) {
        return set.items().stream().filter(item -> item.id().equals(id)).findFirst().orElseThrow();
    }
}
