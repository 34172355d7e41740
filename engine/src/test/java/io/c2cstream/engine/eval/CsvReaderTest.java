package io.c2cstream.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4180 records as the official C-Eval files write them, with Python csv's leniency. */
class CsvReaderTest {

    @Test
    void plainRecordsWithHeader() {
        assertEquals(List.of(List.of("id", "question", "answer"), List.of("0", "q", "C")),
                CsvReader.parse("id,question,answer\n0,q,C\n"));
    }

    @Test
    void quotedFieldsHoldCommasLineBreaksAndDoubledQuotes() {
        String text = "id,question\n0,\"a, b\nnext line \"\"quoted\"\"\r\nlast\"\n1,\"\"\n";
        assertEquals(List.of(List.of("id", "question"), List.of("0", "a, b\nnext line \"quoted\"\r\nlast"),
                List.of("1", "")), CsvReader.parse(text));
    }

    @Test
    void crlfRecordsEmptyFieldsAndNoFinalLineBreak() {
        assertEquals(List.of(List.of("a", "", "c"), List.of("", ""), List.of("x")),
                CsvReader.parse("a,,c\r\n,\r\nx"));
    }

    @Test
    void blankLinesAndByteOrderMarkAreDropped() {
        assertEquals(List.of(List.of("id"), List.of("1")), CsvReader.parse("\uFEFFid\n\n1\n\n"));
    }

    @Test
    void quotesInsideUnquotedFieldsAndAfterClosingQuoteAreKeptAsPythonDoes() {
        assertEquals(List.of(List.of("say \"hi\"", "abcx")), CsvReader.parse("say \"hi\",\"abc\"x\n"));
    }

    @Test
    void unclosedQuoteIsAnErrorNamingItsLine() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> CsvReader.parse("id,q\n0,ok\n1,\"open\n2,x\n"));
        assertTrue(error.getMessage().contains("line 3"), error.getMessage());
    }
}
