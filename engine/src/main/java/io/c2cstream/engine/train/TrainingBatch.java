package io.c2cstream.engine.train;

import io.c2cstream.engine.model.TokenBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Micro-batch collation (method §5.3): rows share their section layout (method §4.10), and each section is
 * right-padded across the batch on its own, so a shorter section gets padding in the middle of its row. Real
 * tokens keep their own positions; padding slots get the pad id and position 0 and are never attended to.
 *
 * @param receiver per section, the receiver's tokens
 * @param sharer   per section, the sharer's tokens (unused for the last section)
 * @param fused    per section, whether it is fused
 * @param targets  per slot of the last section, the next token to predict, or −1 where nothing is learned
 */
record TrainingBatch(List<TokenBatch> receiver, List<TokenBatch> sharer, boolean[] fused, int[][] targets) {

    static TrainingBatch collate(List<TrainingExample> examples, int receiverPad, int sharerPad) {
        List<List<TrainingExample.Section>> layouts = examples.stream().map(TrainingExample::sections).toList();
        List<TrainingExample.Section> first = layouts.get(0);
        for (List<TrainingExample.Section> layout : layouts) {
            if (layout.size() != first.size() || !sameFusion(layout, first)) {
                throw new IllegalArgumentException("the rows of a micro-batch must share their section layout"
                        + " (method §4.10); batch examples of one prompt shape together or use a batch size of 1");
            }
        }
        int rows = examples.size();
        int sections = first.size();
        List<TokenBatch> receiver = new ArrayList<>();
        List<TokenBatch> sharer = new ArrayList<>();
        boolean[] fused = new boolean[sections];
        int[][] targets = null;
        for (int s = 0; s < sections; s++) {
            final int index = s;
            int length = layouts.stream().mapToInt(l -> l.get(index).length()).max().orElseThrow();
            Section r = new Section(rows, length);
            Section h = new Section(rows, length);
            for (int b = 0; b < rows; b++) {
                TrainingExample e = examples.get(b);
                TrainingExample.Section section = layouts.get(b).get(s);
                r.fill(b, e.receiverIds(), e.receiverPadding(), section, receiverPad);
                h.fill(b, e.sharerIds(), e.sharerPadding(), section, sharerPad);
            }
            receiver.add(r.batch());
            sharer.add(h.batch());
            fused[s] = first.get(s).fused();
            if (s == sections - 1) {
                targets = targets(examples, layouts, length);
            }
        }
        return new TrainingBatch(receiver, sharer, fused, targets);
    }

    private static boolean sameFusion(List<TrainingExample.Section> a, List<TrainingExample.Section> b) {
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).fused() != b.get(i).fused()) {
                return false;
            }
        }
        return true;
    }

    /** Slot j of row b's last section predicts the token after position from + j, if that token is in the reply. */
    private static int[][] targets(List<TrainingExample> examples, List<List<TrainingExample.Section>> layouts, int length) {
        int[][] targets = new int[examples.size()][length];
        for (int b = 0; b < examples.size(); b++) {
            TrainingExample e = examples.get(b);
            TrainingExample.Section last = layouts.get(b).get(layouts.get(b).size() - 1);
            Arrays.fill(targets[b], -1);
            for (int p = last.from(); p < last.to() - 1; p++) {
                if (p + 1 >= e.instructionLength() && !e.receiverPadding()[p + 1]) {
                    targets[b][p - last.from()] = e.receiverIds()[p + 1];
                }
            }
        }
        return targets;
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

    /** One section of every row, right-padded. */
    private static final class Section {
        final int[][] ids;
        final int[][] positions;
        final boolean[][] padding;

        Section(int rows, int length) {
            ids = new int[rows][length];
            positions = new int[rows][length];
            padding = new boolean[rows][length];
        }

        void fill(int row, int[] source, boolean[] sourcePadding, TrainingExample.Section section, int pad) {
            for (int i = 0; i < ids[row].length; i++) {
                int p = section.from() + i;
                boolean real = p < section.to();
                ids[row][i] = real ? source[p] : pad;
                positions[row][i] = real ? p : 0;
                padding[row][i] = !real || sourcePadding[p];
            }
        }

        TokenBatch batch() {
            return new TokenBatch(ids, positions, padding);
        }
    }
}
