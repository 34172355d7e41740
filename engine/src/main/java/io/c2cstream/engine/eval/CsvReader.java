package io.c2cstream.engine.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Comma-separated values as RFC 4180 defines them: records end at CRLF or LF; a field in double quotes may
 * hold commas, line breaks and doubled quotes ({@code ""} for {@code "}). Like Python's {@code csv} module it
 * is lenient where the RFC is silent: a quote inside an unquoted field is an ordinary character, and text
 * after a closing quote is appended to the field. A byte-order mark at the start is dropped.
 */
final class CsvReader {

    private CsvReader() {}

    /** Every record of the file, the header included; blank lines are dropped. */
    static List<List<String>> read(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when a quoted field is never closed */
    static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        int line = 1;
        int quoteLine = 0;
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            }
            if (quoted) {
                if (c != '"') {
                    field.append(c);
                } else if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = false;
                }
            } else if (c == '"' && !fieldStarted) {
                quoted = true;
                fieldStarted = true;
                quoteLine = line;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    continue; // the LF of this CRLF ends the record
                }
                endRecord(records, record, field, fieldStarted);
                record = new ArrayList<>();
                fieldStarted = false;
            } else {
                field.append(c);
                fieldStarted = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("the quoted field opened on line " + quoteLine
                    + " is never closed; double every quote inside a quoted field");
        }
        endRecord(records, record, field, fieldStarted);
        return records;
    }

    private static void endRecord(List<List<String>> records, List<String> record, StringBuilder field,
            boolean fieldStarted) {
        if (record.isEmpty() && !fieldStarted) {
            return; // a blank line, or the end of a file that ends with a line break
        }
        record.add(field.toString());
        field.setLength(0);
        records.add(record);
    }
}
