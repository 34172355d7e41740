package io.c2cstream.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.checkpoint.TensorDType;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.ModelFamily;
import io.c2cstream.engine.model.TinyModels;
import io.c2cstream.engine.model.TokenBatch;
import io.c2cstream.engine.model.TransformerModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ContinuousDecoderTest {
    private static final int PAD = 0;

    @TempDir
    Path dir;

    /** A request admitted before step {@code step} of a run. */
    private record Request(int step, String id, int[] prompt, SamplingConfig config) {}

    @ParameterizedTest
    @EnumSource(ModelFamily.class)
    void sequencesJoiningAtDifferentStepsDecodeAsEachAlone(ModelFamily family) {
        try (TransformerModel model = load(family)) {
            Generator generator = new Generator(model, Arrays::toString, PAD);
            int[] late = {8, 1, 2};
            int stop = generator.generate(late, SamplingConfig.greedy(10, Set.of())).tokens()[2];
            List<Request> requests = List.of(
                    new Request(0, "a", new int[] {4, 9, 13, 2, 40}, SamplingConfig.greedy(6, Set.of())),
                    new Request(0, "b", new int[] {7}, SamplingConfig.greedy(3, Set.of())),
                    new Request(2, "c", new int[] {30, 31, 32}, SamplingConfig.greedy(12, Set.of())),
                    // Longer than every row of the batch it joins (a and c have at most 9 columns by then).
                    new Request(4, "d", new int[] {5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18},
                            SamplingConfig.greedy(8, Set.of())),
                    // Joins after a and b finished, and stops on a token of its own.
                    new Request(9, "e", late, SamplingConfig.greedy(10, Set.of(stop))));
            try (ContinuousDecoder decoder = new ContinuousDecoder(model, Arrays::toString, PAD, 4)) {
                Map<String, Generation> batched = run(model, decoder, requests);
                for (Request r : requests) {
                    Generation alone = generator.generate(r.prompt(), r.config());
                    Generation got = batched.get(r.id());
                    assertArrayEquals(alone.tokens(), got.tokens(), r.id());
                    assertEquals(alone.text(), got.text(), r.id());
                    assertEquals(alone.finishReason(), got.finishReason(), r.id());
                }
                assertEquals(Generation.FinishReason.STOP_TOKEN, batched.get("e").finishReason());
                assertEquals(3, batched.get("b").tokens().length);
                assertEquals(0, decoder.active());
                assertEquals(0, decoder.kvBytes());
            }
        }
    }

    @Test
    void samplingWithASeedGivesTheSameTokensBatchedAsAlone() {
        try (TransformerModel model = load(ModelFamily.QWEN3)) {
            Generator generator = new Generator(model, Arrays::toString, PAD);
            List<Request> requests = List.of(
                    new Request(0, "hot", new int[] {4, 9, 13}, new SamplingConfig(10, 1.2, 0, 1, 7, Set.of())),
                    new Request(0, "greedy", new int[] {3, 3}, SamplingConfig.greedy(10, Set.of())),
                    new Request(1, "nucleus", new int[] {20, 21, 22, 23, 24, 25},
                            new SamplingConfig(10, 0.8, 20, 0.9, 11, Set.of())),
                    new Request(3, "same-seed", new int[] {4, 9, 13}, new SamplingConfig(6, 1.2, 0, 1, 7, Set.of())));
            try (ContinuousDecoder decoder = new ContinuousDecoder(model, Arrays::toString, PAD, 4)) {
                Map<String, Generation> batched = run(model, decoder, requests);
                for (Request r : requests) {
                    assertArrayEquals(generator.generate(r.prompt(), r.config()).tokens(), batched.get(r.id()).tokens(),
                            r.id());
                }
                // Same prompt and seed: the same stream, whatever the neighbours.
                assertArrayEquals(Arrays.copyOf(batched.get("hot").tokens(), 6), batched.get("same-seed").tokens());
            }
        }
    }

    @Test
    void aFirstTokenThatStopsFinishesWithoutAForward() {
        try (TransformerModel model = load(ModelFamily.LLAMA)) {
            int[] prompt = {4, 9, 13};
            int first = new Generator(model, Arrays::toString, PAD).generate(prompt, SamplingConfig.greedy(1, Set.of()))
                    .tokens()[0];
            try (ContinuousDecoder decoder = new ContinuousDecoder(model, Arrays::toString, PAD, 2)) {
                admit(model, decoder, new Request(0, "x", prompt, SamplingConfig.greedy(5, Set.of(first))));
                assertEquals(1, decoder.active());
                assertEquals(0, decoder.kvBytes());
                List<ContinuousDecoder.Finished> finished = decoder.step();
                assertEquals(1, finished.size());
                Generation g = finished.get(0).generation();
                assertArrayEquals(new int[] {first}, g.tokens());
                assertEquals(Generation.FinishReason.STOP_TOKEN, g.finishReason());
                assertEquals("[]", g.text());
                assertTrue(g.prefillMillis() > 0);
                assertEquals(0, decoder.active());
            }
        }
    }

    @Test
    void cancelFreesTheRowAtOnceAndTheOthersContinueUnchanged() {
        try (TransformerModel model = load(ModelFamily.GEMMA3)) {
            Generator generator = new Generator(model, Arrays::toString, PAD);
            Request a = new Request(0, "a", new int[] {4, 9, 13, 2, 40}, SamplingConfig.greedy(9, Set.of()));
            Request b = new Request(0, "b", new int[] {7, 7}, SamplingConfig.greedy(9, Set.of()));
            Request c = new Request(0, "c", new int[] {30, 31, 32}, SamplingConfig.greedy(9, Set.of()));
            Request d = new Request(0, "d", new int[] {11, 12, 13, 14}, SamplingConfig.greedy(4, Set.of()));
            try (ContinuousDecoder decoder = new ContinuousDecoder(model, Arrays::toString, PAD, 3)) {
                Map<String, Generation> results = new HashMap<>();
                admit(model, decoder, a);
                admit(model, decoder, b);
                admit(model, decoder, c);
                decoder.step().forEach(f -> results.put(f.id(), f.generation()));
                decoder.step().forEach(f -> results.put(f.id(), f.generation()));
                assertTrue(decoder.isFull());
                assertTrue(decoder.cancel("b"));
                assertFalse(decoder.cancel("b"), "a second cancel finds nothing");
                assertEquals(2, decoder.active());
                admit(model, decoder, d);
                assertTrue(decoder.cancel("d"), "a sequence that has not joined yet cancels too");
                admit(model, decoder, d);
                while (decoder.active() > 0) {
                    decoder.step().forEach(f -> results.put(f.id(), f.generation()));
                }
                assertEquals(Set.of("a", "c", "d"), results.keySet());
                for (Request r : List.of(a, c, d)) {
                    assertArrayEquals(generator.generate(r.prompt(), r.config()).tokens(),
                            results.get(r.id()).tokens(), r.id());
                }
                assertEquals(0, decoder.kvBytes());
            }
        }
    }

    @Test
    void kvBytesGrowOnAdmitShrinkWhenFinishedRowsAreCompactedAndReturnToZero() {
        try (TransformerModel model = load(ModelFamily.QWEN2);
             ContinuousDecoder decoder = new ContinuousDecoder(model, Arrays::toString, PAD, 4)) {
            assertEquals(0, decoder.kvBytes());
            admit(model, decoder, new Request(0, "short1", new int[] {1, 2}, SamplingConfig.greedy(2, Set.of())));
            long one = decoder.kvBytes();
            assertTrue(one > 0);
            admit(model, decoder, new Request(0, "short2", new int[] {3}, SamplingConfig.greedy(2, Set.of())));
            admit(model, decoder, new Request(0, "long1", new int[] {4, 5}, SamplingConfig.greedy(20, Set.of())));
            admit(model, decoder, new Request(0, "long2", new int[] {6}, SamplingConfig.greedy(20, Set.of())));
            long four = decoder.kvBytes();
            assertTrue(four > one);
            assertEquals(List.of("short1", "short2"), ids(decoder.step()));
            long withFinishedRows = decoder.kvBytes();
            decoder.step();
            assertTrue(decoder.kvBytes() < withFinishedRows, "half the rows finished: they are compacted away");
            while (decoder.active() > 0) {
                decoder.step();
            }
            assertEquals(0, decoder.kvBytes());
        }
    }

    @Test
    void admittingBeyondMaxBatchAsksTheCallerToStepFirst() {
        try (TransformerModel model = load(ModelFamily.LLAMA);
             ContinuousDecoder decoder = new ContinuousDecoder(model, Arrays::toString, PAD, 2)) {
            admit(model, decoder, new Request(0, "a", new int[] {1, 2}, SamplingConfig.greedy(2, Set.of())));
            admit(model, decoder, new Request(0, "b", new int[] {3}, SamplingConfig.greedy(5, Set.of())));
            assertTrue(decoder.isFull());
            try (KvCache cache = model.newCache(1, 1); NDManager out = NDManager.newBaseManager()) {
                NDArray logits = model.forward(TokenBatch.single(new int[] {5}, cache), cache,
                        TransformerModel.Logits.LAST, out);
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> decoder.admit("c", cache, logits, SamplingConfig.greedy(3, Set.of()), System.nanoTime()));
                assertTrue(e.getMessage().contains("step()"), e.getMessage());
            }
            assertEquals(List.of("a"), ids(decoder.step()));
            assertFalse(decoder.isFull());
            admit(model, decoder, new Request(0, "c", new int[] {5}, SamplingConfig.greedy(3, Set.of())));
            assertTrue(decoder.isFull());
        }
    }

    private static List<String> ids(List<ContinuousDecoder.Finished> finished) {
        return finished.stream().map(ContinuousDecoder.Finished::id).toList();
    }

    private TransformerModel load(ModelFamily family) {
        Path model = dir.resolve(family.name());
        TinyModels.write(model, family, TensorDType.F32, 3);
        return TransformerModel.load(model);
    }

    /** Admits each request before its step, steps until every sequence is done, and returns them by id. */
    private static Map<String, Generation> run(TransformerModel model, ContinuousDecoder decoder,
                                               List<Request> requests) {
        Map<String, Generation> results = new HashMap<>();
        int lastAdmission = requests.stream().mapToInt(Request::step).max().orElse(0);
        for (int step = 0; step <= lastAdmission || decoder.active() > 0; step++) {
            for (Request r : requests) {
                if (r.step() == step) {
                    admit(model, decoder, r);
                }
            }
            decoder.step().forEach(f -> results.put(f.id(), f.generation()));
        }
        return results;
    }

    /** Prefills the prompt alone, as {@link Generator#generate} does, and hands the cache to the decoder. */
    private static void admit(TransformerModel model, ContinuousDecoder decoder, Request r) {
        long start = System.nanoTime();
        KvCache cache = model.newCache(1, r.prompt().length);
        try (NDManager out = NDManager.newBaseManager(model.device())) {
            NDArray logits = model.forward(TokenBatch.leftPadded(List.of(r.prompt()), PAD), cache,
                    TransformerModel.Logits.LAST, out);
            decoder.admit(r.id(), cache, logits, r.config(), start);
        }
    }
}
