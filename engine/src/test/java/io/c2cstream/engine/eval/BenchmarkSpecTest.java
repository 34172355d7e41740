package io.c2cstream.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code FORMAT:PATH} specs and the registry of formats. */
class BenchmarkSpecTest {

    @Test
    void everyFormatByName() {
        assertEquals(new BenchmarkSpec(BenchmarkFormat.ARC, Path.of("a.jsonl")), BenchmarkSpec.parse("arc:a.jsonl"));
        assertEquals(BenchmarkFormat.OPENBOOKQA, BenchmarkSpec.parse("openbookqa:t.tsv").format());
        assertEquals(BenchmarkFormat.MMLU_REDUX, BenchmarkSpec.parse("mmlu-redux:dir/").format());
        assertEquals(new BenchmarkSpec(BenchmarkFormat.CEVAL, Path.of("c:/x")), BenchmarkSpec.parse("ceval:c:/x"));
        assertEquals("ceval:c:/x", BenchmarkSpec.parse("ceval:c:/x").toString());
    }

    @Test
    void anUnknownFormatListsTheKnownOnes() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> BenchmarkSpec.parse("mmlu:data/"));
        assertEquals("unknown benchmark format 'mmlu'; known formats: arc, openbookqa, mmlu-redux, ceval",
                error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"data.jsonl", ":data.jsonl", "arc:"})
    void aSpecWithoutFormatOrPathSaysWhatIsExpected(String spec) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> BenchmarkSpec.parse(spec));
        assertEquals("benchmark '" + spec + "' must be FORMAT:PATH, where FORMAT is one of arc, openbookqa, mmlu-redux,"
                + " ceval and PATH a file or a directory of files", error.getMessage());
    }
}
