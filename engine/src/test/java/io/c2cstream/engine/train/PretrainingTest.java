package io.c2cstream.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.c2cstream.engine.model.ModelFamily;
import io.c2cstream.engine.model.ModelParameters;
import io.c2cstream.engine.model.TinyModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PretrainingTest {
    @Test
    void documentsArePackedWithEndTokensIntoWholeSequences() {
        int[][] packed = TokenPacker.pack(List.of(new int[] {1, 2, 3}, new int[] {4, 5}), 0, 3, 1);
        // 3 + 1 + 2 + 1 = 7 tokens make one sequence of 4; the remaining 3 are dropped.
        assertEquals(1, packed.length);
        assertEquals(4, packed[0].length);
        int ends = 0;
        for (int t : packed[0]) {
            ends += t == 0 ? 1 : 0;
        }
        assertTrue(ends >= 1, "documents are separated by the end token");
        assertArrayEquals(packed[0], TokenPacker.pack(List.of(new int[] {1, 2, 3}, new int[] {4, 5}), 0, 3, 1)[0],
                "the order is seeded");
    }

    @Test
    void cosineWarmsUpThenDecaysToZero() {
        assertEquals(0.0, Schedules.cosine(0, 1.0, 10, 110));
        assertEquals(0.5, Schedules.cosine(5, 1.0, 10, 110), 1e-12);
        assertEquals(1.0, Schedules.cosine(10, 1.0, 10, 110), 1e-12);
        assertEquals(0.5, Schedules.cosine(60, 1.0, 10, 110), 1e-12);
        assertEquals(0.0, Schedules.cosine(110, 1.0, 10, 110), 1e-12);
    }

    @Test
    void aShortRunLowersTheLoss() {
        List<int[]> documents = new ArrayList<>();
        for (int d = 0; d < 40; d++) {
            int[] doc = new int[12];
            for (int t = 0; t < doc.length; t++) {
                doc[t] = 1 + (d + 2 * t) % (TinyModels.VOCAB - 1);
            }
            documents.add(doc);
        }
        int[][] sequences = TokenPacker.pack(documents, 0, 16, 3);
        List<Double> losses = new ArrayList<>();
        try (ModelParameters parameters = ModelParameters.initialize(TinyModels.config(ModelFamily.QWEN3), Device.cpu(), 0.1, 1)) {
            new Pretraining(30, 8, 1e-2, 3, 0.95, 0.1, 5).run(parameters, sequences,
                    (step, total, loss, lr, tokens, seconds) -> losses.add(loss));
        }
        assertEquals(30, losses.size());
        double first = losses.subList(0, 3).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = losses.subList(27, 30).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < 0.7 * first, first + " -> " + last);
    }
}
