package io.c2cstream.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c2cstream.engine.model.TokenBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Collation of method §5.3: each section padded on its own, positions kept, labels only on the reply. */
class TrainingBatchTest {
    private static final int PAD = 0;

    @Test
    void sectionsArePaddedSeparatelyAndPositionsContinueAfterThePadding() {
        TrainingExample longer = TrainingExample.sharedTokens(new int[] {11, 12, 13, 14, 15, 16}, 4);
        TrainingExample shorter = TrainingExample.sharedTokens(new int[] {21, 22, 23, 24, 25}, 2);
        TrainingBatch batch = TrainingBatch.collate(List.of(longer, shorter), PAD, PAD);

        TokenBatch fused = batch.receiver().get(0);
        assertArrayEquals(new int[] {11, 12, 13}, fused.ids()[0]);
        assertArrayEquals(new int[] {21, PAD, PAD}, fused.ids()[1]);
        assertArrayEquals(new boolean[] {false, true, true}, fused.padding()[1]);

        TokenBatch reply = batch.receiver().get(1);
        assertArrayEquals(new int[] {14, 15, 16, PAD}, reply.ids()[0]);
        assertArrayEquals(new int[] {22, 23, 24, 25}, reply.ids()[1]);
        assertArrayEquals(new int[] {3, 4, 5, 0}, reply.positions()[0]);
        assertArrayEquals(new int[] {1, 2, 3, 4}, reply.positions()[1], "real positions continue after the padding");

        // Slot j predicts the token after it, only inside the reply: F − I targets per row (method §10.2, 10).
        assertArrayEquals(new int[] {15, 16, -1, -1}, batch.targets()[0]);
        assertArrayEquals(new int[] {23, 24, 25, -1}, batch.targets()[1]);
        assertEquals(longer.supervisedTokens() + shorter.supervisedTokens(), batch.supervisedTokens());
    }

    @Test
    void alignedExamplesKeepTheirPadSlotsAndSeveralFusedSections() {
        // template(2, one receiver pad) | message(2, fused) | template(1) | reply section
        int[] receiver = {1, 9, 30, 31, 2, 40, 41};
        boolean[] receiverPadding = {false, true, false, false, false, false, false};
        boolean[] fused = {false, false, true, true, false, false, false};
        TrainingExample e = new TrainingExample(receiver, receiverPadding, new int[] {5, 6, 70, 71, 8, 0, 0},
                new boolean[7], fused, 5);
        assertEquals(List.of(new TrainingExample.Section(0, 2, false), new TrainingExample.Section(2, 4, true),
                new TrainingExample.Section(4, 7, false)), e.sections());
        TrainingBatch batch = TrainingBatch.collate(List.of(e), PAD, PAD);
        assertArrayEquals(new boolean[] {false, true, false}, batch.fused());
        assertArrayEquals(new boolean[] {false, true}, batch.receiver().get(0).padding()[0]);
        assertArrayEquals(new int[] {70, 71}, batch.sharer().get(1).ids()[0]);
        assertArrayEquals(new int[] {40, 41, -1}, batch.targets()[0]);
    }

    @Test
    void rowsWithDifferentSectionLayoutsAreRefused() {
        TrainingExample two = TrainingExample.sharedTokens(new int[] {1, 2, 3, 4}, 2);
        TrainingExample three = new TrainingExample(new int[] {1, 2, 3, 4, 5}, new boolean[5], new int[] {1, 2, 3, 4, 5},
                new boolean[5], new boolean[] {false, true, false, false, false}, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingBatch.collate(List.of(two, three), PAD, PAD));
        assertEquals(true, e.getMessage().contains("section layout"));
    }
}
