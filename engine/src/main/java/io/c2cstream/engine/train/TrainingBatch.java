package io.c2cstream.engine.train;

import io.c2cstream.engine.model.TokenBatch;
import java.util.List;

/**
 * Micro-batch collation (method §5.3): each section is right-padded across the batch on its own, so a
 * shorter instruction gets padding in the middle of its row; real tokens keep their own positions.
 *
 * @param fused     receiver tokens of the fused section {@code [0, I−1)} per row
 * @param sharer    sharer tokens of the same section
 * @param response  receiver tokens of the unfused section {@code [I−1, F)} per row
 * @param targets   per response slot, the next token to predict, or −1 where nothing is learned
 */
record TrainingBatch(TokenBatch fused, TokenBatch sharer, TokenBatch response, int[][] targets) {

    static TrainingBatch collate(List<TrainingExample> examples, int receiverPad, int sharerPad) {
        int rows = examples.size();
        int fusedLength = examples.stream().mapToInt(e -> e.instructionLength() - 1).max().orElseThrow();
        int responseLength = examples.stream().mapToInt(e -> e.length() - e.instructionLength() + 1).max().orElseThrow();
        Section fused = new Section(rows, fusedLength);
        Section sharer = new Section(rows, fusedLength);
        Section response = new Section(rows, responseLength);
        int[][] targets = new int[rows][responseLength];
        for (int b = 0; b < rows; b++) {
            TrainingExample e = examples.get(b);
            int split = e.instructionLength() - 1;
            fused.fill(b, e.receiverIds(), 0, split, receiverPad);
            sharer.fill(b, e.sharerIds(), 0, split, sharerPad);
            response.fill(b, e.receiverIds(), split, e.length(), receiverPad);
            java.util.Arrays.fill(targets[b], -1);
            for (int p = split; p < e.length() - 1; p++) {
                targets[b][p - split] = e.receiverIds()[p + 1];
            }
        }
        return new TrainingBatch(fused.batch(), sharer.batch(), response.batch(), targets);
    }

    int supervisedTokens() {
        int n = 0;
        for (int[] row : targets) {
            for (int t : row) {
                n += t >= 0 ? 1 : 0;
            }
        }
        return n;
    }

    /** One section of every row, right-padded; padding slots get the pad id and position 0. */
    private static final class Section {
        final int[][] ids;
        final int[][] positions;
        final boolean[][] padding;

        Section(int rows, int length) {
            ids = new int[rows][length];
            positions = new int[rows][length];
            padding = new boolean[rows][length];
        }

        void fill(int row, int[] source, int from, int to, int pad) {
            for (int i = 0; i < ids[row].length; i++) {
                boolean real = from + i < to;
                ids[row][i] = real ? source[from + i] : pad;
                positions[row][i] = real ? from + i : 0;
                padding[row][i] = !real;
            }
        }

        TokenBatch batch() {
            return new TokenBatch(ids, positions, padding);
        }
    }
}
