package io.c2cstream.engine.eval;

/**
 * Thrown while parsing a benchmark row that is not evaluated (missing field, filtered answer); the reader
 * counts the reason and moves on to the next row.
 */
final class SkippedRow extends Exception {

    private final String reason;

    SkippedRow(String reason) {
        // No stack trace: a skip is an expected outcome, and the reason says everything.
        super(reason, null, false, false);
        this.reason = reason;
    }

    static SkippedRow missingField(String field) {
        return new SkippedRow("missing field '" + field + "'");
    }

    static SkippedRow malformedField(String field) {
        return new SkippedRow("malformed field '" + field + "'");
    }

    String reason() {
        return reason;
    }
}
