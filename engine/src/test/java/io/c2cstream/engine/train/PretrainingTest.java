package io.c2cstream.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.c2cstream.engine.generate.Generator;
import io.c2cstream.engine.generate.SamplingConfig;
import io.c2cstream.engine.model.ModelFamily;
import io.c2cstream.engine.model.ModelParameters;
import io.c2cstream.engine.model.TinyModels;
import io.c2cstream.engine.model.TransformerModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PretrainingTest {
    @Test
    void documentsStayWholeAndSequencesArePaddedAtTheEnd() {
        int p = TokenPacker.PADDING;
        // Sequences of 5 tokens: [1 2 0] and [4 5 0] cannot share one; [6 7 8 9 10 11 0] is split, and its
        // tail [11 0] leaves room for a whole short document.
        List<int[]> documents = List.of(new int[] {1, 2}, new int[] {4, 5}, new int[] {6, 7, 8, 9, 10, 11});
        int[][] packed = TokenPacker.pack(documents, 0, 4, 1);
        List<String> rows = java.util.Arrays.stream(packed).map(java.util.Arrays::toString).sorted().toList();
        assertEquals(List.of(java.util.Arrays.toString(new int[] {11, 0, 1, 2, 0}),
                java.util.Arrays.toString(new int[] {4, 5, 0, p, p}),
                java.util.Arrays.toString(new int[] {6, 7, 8, 9, 10})), rows);
        assertArrayEquals(packed[0], TokenPacker.pack(documents, 0, 4, 1)[0], "the order is seeded");
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
            new Pretraining(30, 8, 1e-2, 3, 0.95, 0.1, 5, 0).run(parameters, sequences,
                    (step, total, loss, lr, norm, tokens, seconds) -> losses.add(loss));
        }
        assertEquals(30, losses.size());
        double first = losses.subList(0, 3).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = losses.subList(27, 30).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < 0.7 * first, first + " -> " + last);
    }

    @Test
    void theModelIsHandedForEvaluationEveryNStepsAndAfterTheLast() {
        int[][] sequences = TokenPacker.pack(List.of(new int[] {1, 2, 3, 4, 5, 6, 7}), 0, 8, 3);
        List<Integer> evaluated = new ArrayList<>();
        try (ModelParameters parameters = ModelParameters.initialize(TinyModels.config(ModelFamily.QWEN3), Device.cpu(), 0.1, 1)) {
            new Pretraining(7, 2, 1e-2, 1, 0.95, 0.1, 5, 3).run(parameters, sequences, new Pretraining.Listener() {
                @Override
                public void onStep(int step, int total, double loss, double lr, double norm, int tokens, double seconds) {
                }

                @Override
                public boolean onEvaluate(int step, TransformerModel model) {
                    evaluated.add(step);
                    assertEquals(8, new Generator(model, ids -> "", 0).generate(new int[] {1, 2},
                            SamplingConfig.greedy(8, Set.of())).tokens().length, "the model generates");
                    return true;
                }
            });
        }
        assertEquals(List.of(3, 6, 7), evaluated);
    }

    @Test
    void anEvaluationThatSaysStopEndsTheRunAfterItsStep() {
        int[][] sequences = TokenPacker.pack(List.of(new int[] {1, 2, 3, 4, 5, 6, 7}), 0, 8, 3);
        List<Integer> stepped = new ArrayList<>();
        try (ModelParameters parameters = ModelParameters.initialize(TinyModels.config(ModelFamily.QWEN3), Device.cpu(), 0.1, 1)) {
            new Pretraining(20, 2, 1e-2, 1, 0.95, 0.1, 5, 3).run(parameters, sequences, new Pretraining.Listener() {
                @Override
                public void onStep(int step, int total, double loss, double lr, double norm, int tokens, double seconds) {
                    stepped.add(step);
                }

                @Override
                public boolean onEvaluate(int step, TransformerModel model) {
                    return step < 6;
                }
            });
        }
        assertEquals(6, stepped.size(), "steps run: " + stepped);
    }
}
