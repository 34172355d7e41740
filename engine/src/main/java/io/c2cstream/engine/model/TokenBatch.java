package io.c2cstream.engine.model;

import java.util.List;

/**
 * The tokens of one forward pass: {@code ids[b][t]} with their RoPE positions, and which slots are
 * padding. Padding slots are written to the cache like any token but never attended to.
 */
public record TokenBatch(int[][] ids, int[][] positions, boolean[][] padding) {

    public TokenBatch {
        int batch = ids.length;
        if (batch == 0 || ids[0].length == 0) {
            throw new IllegalArgumentException("a forward pass needs at least one token");
        }
        int tokens = ids[0].length;
        for (int b = 0; b < batch; b++) {
            if (ids[b].length != tokens || positions[b].length != tokens || padding[b].length != tokens) {
                throw new IllegalArgumentException("row " + b + " has a different length: pad rows to one length");
            }
        }
    }

    public int batchSize() {
        return ids.length;
    }

    public int tokens() {
        return ids[0].length;
    }

    /** The ids row-major as int64, the index type of an embedding lookup. */
    long[] flatIds() {
        long[] flat = new long[batchSize() * tokens()];
        for (int b = 0; b < ids.length; b++) {
            for (int t = 0; t < ids[b].length; t++) {
                flat[b * tokens() + t] = ids[b][t];
            }
        }
        return flat;
    }

    /** One sequence's tokens, continuing from the position the cache has reached. */
    public static TokenBatch single(int[] ids, KvCache cache) {
        return continuing(new int[][] {ids}, cache);
    }

    /** Rows of equal length continuing each row's sequence in the cache (decode steps, chunked prefill). */
    public static TokenBatch continuing(int[][] ids, KvCache cache) {
        int[][] positions = new int[ids.length][];
        boolean[][] padding = new boolean[ids.length][];
        for (int b = 0; b < ids.length; b++) {
            positions[b] = new int[ids[b].length];
            padding[b] = new boolean[ids[b].length];
            for (int t = 0; t < ids[b].length; t++) {
                positions[b][t] = cache.nextPosition(b) + t;
            }
        }
        return new TokenBatch(ids, positions, padding);
    }

    /**
     * Prompts of different lengths, left-padded with {@code padId} so that every row ends on the same
     * column: decoding then appends one column for all rows. Positions count real tokens only.
     */
    public static TokenBatch leftPadded(List<int[]> prompts, int padId) {
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        int[][] ids = new int[prompts.size()][longest];
        int[][] positions = new int[prompts.size()][longest];
        boolean[][] padding = new boolean[prompts.size()][longest];
        for (int b = 0; b < prompts.size(); b++) {
            int[] prompt = prompts.get(b);
            int pad = longest - prompt.length;
            for (int t = 0; t < longest; t++) {
                padding[b][t] = t < pad;
                ids[b][t] = t < pad ? padId : prompt[t - pad];
                positions[b][t] = Math.max(0, t - pad);
            }
        }
        return new TokenBatch(ids, positions, padding);
    }
}
