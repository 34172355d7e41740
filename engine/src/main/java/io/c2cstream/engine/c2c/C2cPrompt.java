package io.c2cstream.engine.c2c;

import io.c2cstream.engine.model.TokenBatch;
import java.util.Arrays;
import java.util.List;

/**
 * A prompt ready for C2C prefill (method §4.2): the receiver's ids, each sharer's ids of the same length,
 * their padding masks, and the sections that say which token ranges are fused. Positions are
 * {@code 0..length−1} for every model, padding included (method §3.2).
 *
 * @param sharerIds      one id sequence per sharer, each as long as {@code receiverIds}
 * @param sharerPadding  per sharer, which slots are padding (never attended to)
 */
public record C2cPrompt(int[] receiverIds, boolean[] receiverPadding, List<int[]> sharerIds,
                        List<boolean[]> sharerPadding, List<Section> sections) {

    /**
     * A run of tokens processed together.
     *
     * @param sharers bitmask of the sharers fused into this section (bit j−1 for sharer j); 0 for none
     */
    public record Section(int from, int to, int sharers) {
        public boolean fused() {
            return sharers != 0;
        }

        public int length() {
            return to - from;
        }
    }

    public C2cPrompt {
        if (receiverIds.length < 2) {
            throw new IllegalArgumentException("a C2C prompt needs at least two tokens: the last one is never fused");
        }
        for (int[] ids : sharerIds) {
            if (ids.length != receiverIds.length) {
                throw new IllegalArgumentException("sharer ids have length " + ids.length + " but the receiver's "
                        + receiverIds.length + ": align them first");
            }
        }
        int at = 0;
        for (Section s : sections) {
            if (s.from() != at || s.to() <= s.from()) {
                throw new IllegalArgumentException("sections must tile the prompt in order, got " + sections);
            }
            at = s.to();
        }
        if (at != receiverIds.length || sections.get(sections.size() - 1).fused()) {
            throw new IllegalArgumentException("sections must cover all " + receiverIds.length
                    + " tokens and end with an unfused section, got " + sections);
        }
    }

    public int length() {
        return receiverIds.length;
    }

    /** The receiver's tokens {@code from..to−1}, at their prompt positions. */
    public TokenBatch receiverBatch(int from, int to) {
        return batch(receiverIds, receiverPadding, from, to);
    }

    /** Sharer {@code j}'s tokens {@code from..to−1}, at the same positions as the receiver's. */
    public TokenBatch sharerBatch(int j, int from, int to) {
        return batch(sharerIds.get(j), sharerPadding.get(j), from, to);
    }

    /** Index of the last fused section, or −1 when nothing is fused. */
    public int lastFusedSection() {
        for (int i = sections.size() - 1; i >= 0; i--) {
            if (sections.get(i).fused()) {
                return i;
            }
        }
        return -1;
    }

    private static TokenBatch batch(int[] ids, boolean[] padding, int from, int to) {
        int[] positions = new int[to - from];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = from + i;
        }
        return new TokenBatch(new int[][] {Arrays.copyOfRange(ids, from, to)}, new int[][] {positions},
                new boolean[][] {Arrays.copyOfRange(padding, from, to)});
    }

    /**
     * Same-tokenizer pairs (method §4.6): every sharer reads exactly the receiver's ids; all tokens but the
     * last are fused from all sharers, the last is the receiver's alone (method §4.2, inference layout).
     */
    public static C2cPrompt sharedTokens(int[] ids, int sharerCount) {
        int mask = (1 << sharerCount) - 1;
        boolean[] none = new boolean[ids.length];
        return new C2cPrompt(ids, none, java.util.Collections.nCopies(sharerCount, ids),
                java.util.Collections.nCopies(sharerCount, none),
                List.of(new Section(0, ids.length - 1, mask), new Section(ids.length - 1, ids.length, 0)));
    }
}
