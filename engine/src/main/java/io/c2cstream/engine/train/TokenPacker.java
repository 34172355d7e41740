package io.c2cstream.engine.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Packs tokenised documents into fixed-length training sequences of {@code length + 1} tokens (a sequence
 * predicts its own next tokens). Documents, each followed by an end token, go whole into a sequence in a seeded
 * random order, so that a question is never cut from its answer; a document longer than a sequence is split.
 * The unused tail of a sequence is {@link #PADDING}: never a target, and after every real token, so no real
 * token attends to it.
 */
public final class TokenPacker {
    /** Marks an unused slot in a packed sequence. */
    public static final int PADDING = -1;

    private TokenPacker() {}

    public static int[][] pack(List<int[]> documents, int endToken, int length, long seed) {
        List<int[]> order = new ArrayList<>(documents);
        Collections.shuffle(order, new Random(seed));
        int size = length + 1;
        List<int[]> sequences = new ArrayList<>();
        int[] current = null;
        int used = 0;
        for (int[] document : order) {
            int[] withEnd = java.util.Arrays.copyOf(document, document.length + 1);
            withEnd[document.length] = endToken;
            for (int from = 0; from < withEnd.length; from += size) {
                int[] piece = java.util.Arrays.copyOfRange(withEnd, from, Math.min(withEnd.length, from + size));
                if (current == null || used + piece.length > size) {
                    current = new int[size];
                    java.util.Arrays.fill(current, PADDING);
                    sequences.add(current);
                    used = 0;
                }
                System.arraycopy(piece, 0, current, used, piece.length);
                used += piece.length;
            }
        }
        return sequences.toArray(new int[0][]);
    }
}
