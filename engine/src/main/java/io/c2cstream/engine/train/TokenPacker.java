package io.c2cstream.engine.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Packs tokenised documents into fixed-length training sequences of {@code length + 1} tokens (a sequence
 * predicts its own next tokens). Documents, each followed by an end token, go whole into a sequence in a seeded
 * random order, so that a question is never cut from its answer; a document longer than a sequence is split.
 * The unused tail of a sequence is {@link #PADDING}: never a target, and after every real token, so no real
 * token attends to it.
 *
 * <p>A document may be read-only up to a point (a prompt whose answer alone is taught): its first tokens are
 * stored as {@link #readOnly(int)}, which the model reads but never predicts. Keeping this in the token slot
 * itself keeps a packed batch one {@code int[][]}.
 */
public final class TokenPacker {
    /** Marks an unused slot in a packed sequence. */
    public static final int PADDING = -1;

    /**
     * A tokenised document.
     *
     * @param tokens      its token ids
     * @param firstTarget the first token the model learns to predict; earlier ones are only read (0: all learnt)
     */
    public record Document(int[] tokens, int firstTarget) {
        public Document {
            if (firstTarget < 0 || firstTarget > tokens.length) {
                throw new IllegalArgumentException("firstTarget " + firstTarget + " outside a document of "
                        + tokens.length + " tokens");
            }
        }

        /** A document whose every token is learnt. */
        public static Document whole(int... tokens) {
            return new Document(tokens, 0);
        }
    }

    private TokenPacker() {}

    /** The slot of token {@code id} when it is read but never a target. */
    public static int readOnly(int id) {
        return -2 - id;
    }

    /** The token id a (non-padding) slot holds. */
    public static int tokenId(int slot) {
        return slot >= 0 ? slot : -2 - slot;
    }

    /** Whether the slot's token is a training target. */
    public static boolean isTarget(int slot) {
        return slot >= 0;
    }

    public static int[][] pack(List<Document> documents, int endToken, int length, long seed) {
        List<Document> order = new ArrayList<>(documents);
        Collections.shuffle(order, new Random(seed));
        int size = length + 1;
        List<int[]> sequences = new ArrayList<>();
        int[] current = null;
        int used = 0;
        for (Document document : order) {
            int[] withEnd = Arrays.copyOf(document.tokens(), document.tokens().length + 1);
            withEnd[document.tokens().length] = endToken;
            for (int i = 0; i < document.firstTarget(); i++) {
                withEnd[i] = readOnly(withEnd[i]);
            }
            for (int from = 0; from < withEnd.length; from += size) {
                int[] piece = Arrays.copyOfRange(withEnd, from, Math.min(withEnd.length, from + size));
                if (current == null || used + piece.length > size) {
                    current = new int[size];
                    Arrays.fill(current, PADDING);
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
