package io.c2cstream.engine.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Packs tokenised documents into fixed-length training sequences: documents in a seeded random order, each
 * followed by an end token, concatenated and cut every {@code length + 1} tokens (a sequence predicts its own
 * next tokens). The tail that does not fill a sequence is dropped.
 */
public final class TokenPacker {
    private TokenPacker() {}

    public static int[][] pack(List<int[]> documents, int endToken, int length, long seed) {
        List<int[]> order = new ArrayList<>(documents);
        Collections.shuffle(order, new Random(seed));
        int total = order.stream().mapToInt(d -> d.length + 1).sum();
        int[] stream = new int[total];
        int at = 0;
        for (int[] d : order) {
            System.arraycopy(d, 0, stream, at, d.length);
            at += d.length;
            stream[at++] = endToken;
        }
        int[][] sequences = new int[total / (length + 1)][];
        for (int i = 0; i < sequences.length; i++) {
            sequences[i] = java.util.Arrays.copyOfRange(stream, i * (length + 1), (i + 1) * (length + 1));
        }
        return sequences;
    }
}
