package io.c2cstream.engine.train;

import java.util.ArrayList;
import java.util.List;

/**
 * One supervised conversation, tokenised (method §5.2, §3.2): the receiver's ids and the sharer's ids of the
 * same length with their padding slots, which positions are fused, and where the reply starts. Sections are
 * the runs of the fusion mask (method §4.2); the last one holds the last instruction token and the reply,
 * and is the receiver's alone.
 *
 * @param fused              per position, whether the cache there is fused (only before {@code instructionLength − 1})
 * @param instructionLength  I: positions before the reply; labels start at position I
 */
public record TrainingExample(int[] receiverIds, boolean[] receiverPadding, int[] sharerIds, boolean[] sharerPadding,
                              boolean[] fused, int instructionLength) {

    /** A run of positions processed together. */
    public record Section(int from, int to, boolean fused) {
        public int length() {
            return to - from;
        }
    }

    public TrainingExample {
        int n = receiverIds.length;
        if (sharerIds.length != n || receiverPadding.length != n || sharerPadding.length != n || fused.length != n) {
            throw new IllegalArgumentException("receiver ids, sharer ids, padding and fusion masks must have one length:"
                    + " align the sharer's tokens first");
        }
        if (instructionLength < 2 || instructionLength >= n) {
            throw new IllegalArgumentException("an example needs an instruction of at least 2 tokens and a reply,"
                    + " got I=" + instructionLength + " of F=" + n);
        }
        for (int p = instructionLength - 1; p < n; p++) {
            if (fused[p]) {
                throw new IllegalArgumentException("position " + p + " is fused, but the last instruction token and the"
                        + " reply are the receiver's alone");
            }
        }
    }

    /**
     * Same-tokenizer pairs (method §4.6): the sharer reads the receiver's ids; every instruction token but the
     * last is fused.
     */
    public static TrainingExample sharedTokens(int[] ids, int instructionLength) {
        boolean[] fused = new boolean[ids.length];
        for (int p = 0; p < instructionLength - 1; p++) {
            fused[p] = true;
        }
        boolean[] none = new boolean[ids.length];
        return new TrainingExample(ids, none, ids, none, fused, instructionLength);
    }

    public int length() {
        return receiverIds.length;
    }

    /** Supervised tokens: F − I. */
    public int supervisedTokens() {
        return receiverIds.length - instructionLength;
    }

    /** Runs of equal fusion, in order; the last is unfused and contains position I − 1. */
    public List<Section> sections() {
        List<Section> runs = new ArrayList<>();
        int start = 0;
        for (int p = 1; p <= fused.length; p++) {
            if (p == fused.length || fused[p] != fused[start]) {
                runs.add(new Section(start, p, fused[start]));
                start = p;
            }
        }
        return runs;
    }
}
