package io.c2cstream.engine.tokenizer;

import java.util.Arrays;

/**
 * Token ids of a text together with the span of the text each token came from.
 *
 * <p>Spans are half-open {@code [start, end)} UTF-16 indices into the encoded Java string, so
 * {@code text.substring(start(i), end(i))} is the text of token {@code i}. With byte-level BPE a
 * character split over several tokens makes those tokens share (part of) one span, so spans may
 * overlap; starts never decrease.
 */
public final class Encoding {

    private final int[] ids;
    private final int[] starts;
    private final int[] ends;

    Encoding(int[] ids, int[] starts, int[] ends) {
        if (ids.length != starts.length || ids.length != ends.length) {
            throw new IllegalArgumentException("ids, starts and ends must have the same length");
        }
        this.ids = ids;
        this.starts = starts;
        this.ends = ends;
    }

    /** Number of tokens. */
    public int size() {
        return ids.length;
    }

    /** A copy of all token ids. */
    public int[] ids() {
        return ids.clone();
    }

    public int id(int token) {
        return ids[token];
    }

    /** First UTF-16 index of the text of token {@code token}. */
    public int start(int token) {
        return starts[token];
    }

    /** UTF-16 index just past the text of token {@code token}. */
    public int end(int token) {
        return ends[token];
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("Encoding[");
        for (int i = 0; i < ids.length; i++) {
            out.append(i == 0 ? "" : ", ").append(ids[i]).append('@').append(starts[i]).append(':').append(ends[i]);
        }
        return out.append(']').toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Encoding that
                && Arrays.equals(ids, that.ids)
                && Arrays.equals(starts, that.starts)
                && Arrays.equals(ends, that.ends);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(ids) + Arrays.hashCode(starts)) + Arrays.hashCode(ends);
    }
}
