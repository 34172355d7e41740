package io.c2cstream.engine.eval;

/** Correct answers out of items scored; the micro-average the method reports (§6.1). */
public record Accuracy(int correct, int total) {

    public Accuracy {
        if (correct < 0 || total <= 0 || correct > total) {
            throw new IllegalArgumentException("accuracy needs 0 <= correct <= total and total > 0, got "
                    + correct + "/" + total);
        }
    }

    /** The fraction correct, from 0 to 1. */
    public double value() {
        return (double) correct / total;
    }
}
