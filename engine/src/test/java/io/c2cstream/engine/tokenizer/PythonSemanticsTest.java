package io.c2cstream.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Python behaviours reimplemented for templates, checked against what CPython returns. */
class PythonSemanticsTest {

    @Test
    void splitMatchesStrSplit() {
        assertEquals(List.of("a", "", "b", ""), PythonStrings.split("a,,b,", ",", -1));
        assertEquals(List.of("a", "b,c"), PythonStrings.split("a,b,c", ",", 1));
        assertEquals(List.of(""), PythonStrings.split("", ",", -1));
        // No separator: whitespace runs split, leading/trailing whitespace yields no empty parts.
        assertEquals(List.of("a", "b", "c"), PythonStrings.split("\u3000 a\t\nb  c ", null, -1));
        // With maxsplit the remainder is kept as is, trailing whitespace included.
        assertEquals(List.of("a", "b  c "), PythonStrings.split(" a b  c ", null, 1));
        assertEquals(List.of(), PythonStrings.split("   ", null, -1));
        assertThrows(IllegalArgumentException.class, () -> PythonStrings.split("a", "", -1));
    }

    @Test
    void stripUsesPythonWhitespaceOrTheGivenCharacters() {
        // U+00A0 and U+3000 are whitespace to Python, U+0000 is not.
        assertEquals("x", PythonStrings.strip("\u00a0\t x\u3000\n", null));
        assertEquals("\u0000x", PythonStrings.strip("\u0000x ", null));
        assertEquals("x", PythonStrings.strip("abxba", "ab"));
        assertEquals("xba", PythonStrings.lstrip("abxba", "ab"));
        assertEquals("abx", PythonStrings.rstrip("abxba", "ab"));
        assertEquals("x", PythonStrings.strip("😀x😀", "😀"));
    }

    @Test
    void sliceIndicesMatchSliceIndices() {
        // list(range(5))[a:b:c] in Python.
        assertEquals(List.of(4, 3, 2, 1, 0), PythonSlice.indices(5, null, null, -1));
        assertEquals(List.of(3, 1), PythonSlice.indices(5, -2, 0, -2));
        assertEquals(List.of(0, 1, 2, 3, 4), PythonSlice.indices(5, -10, 10, null));
        assertEquals(List.of(), PythonSlice.indices(5, 3, 1, null));
        assertEquals(List.of(4), PythonSlice.indices(5, 10, 3, -1));
        assertEquals(List.of(), PythonSlice.indices(0, null, null, -1));
    }

    @Test
    void floatsPrintAsPythonRepr() {
        assertEquals("1.0", PythonJson.floatRepr(1.0));
        assertEquals("0.1", PythonJson.floatRepr(0.1));
        assertEquals("-2.5", PythonJson.floatRepr(-2.5));
        assertEquals("0.0001", PythonJson.floatRepr(1e-4));
        assertEquals("1e-05", PythonJson.floatRepr(1e-5));
        assertEquals("1234567890123456.0", PythonJson.floatRepr(1234567890123456.0));
        assertEquals("1e+16", PythonJson.floatRepr(1e16));
        assertEquals("1.5e+300", PythonJson.floatRepr(1.5e300));
        assertEquals("-0.0", PythonJson.floatRepr(-0.0));
        assertEquals("NaN", PythonJson.floatRepr(Double.NaN));
        assertEquals("0.1", PythonJson.floatRepr(0.1f));
    }

    @Test
    void jsonEscapesLikeJsonDumps() {
        PythonJson.Options defaults = PythonJson.Options.HUGGING_FACE_DEFAULT;
        assertEquals("\"tab\\t nl\\n ctl\\u0001 del\u007f é 😀\"", PythonJson.dumps("tab\t nl\n ctl\u0001 del\u007f é 😀", defaults));
        PythonJson.Options ascii = new PythonJson.Options(true, null, null, null, false);
        assertEquals("\"\\u007f \\u00e9 \\ud83d\\ude00\"", PythonJson.dumps("\u007f é 😀", ascii));
        PythonJson.Options compact = new PythonJson.Options(false, null, ",", ":", false);
        assertEquals("{\"1\":[true,null]}", PythonJson.dumps(Map.of(1, Arrays.asList(true, null)), compact));
    }

    @Test
    void strftimeInTheCLocale() {
        LocalDateTime time = LocalDateTime.of(2024, 7, 6, 15, 4, 5, 123_456_789);
        assertEquals("06 Jul 2024", Strftime.format("%d %b %Y", time));
        assertEquals("Saturday, July 6 24 03:04:05 PM 188 123456 6 %", Strftime.format("%A, %B %-d %y %I:%M:%S %p %j %f %w %%", time));
        assertThrows(IllegalArgumentException.class, () -> Strftime.format("%Z", time));
    }
}
