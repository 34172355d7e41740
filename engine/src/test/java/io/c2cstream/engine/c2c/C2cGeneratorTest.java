package io.c2cstream.engine.c2c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.fuser.C2cProjector;
import io.c2cstream.engine.fuser.FuserConfig;
import io.c2cstream.engine.fuser.ProjectorConfig;
import io.c2cstream.engine.generate.Generation;
import io.c2cstream.engine.generate.Generator;
import io.c2cstream.engine.generate.SamplingConfig;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.engine.model.ModelFamily;
import io.c2cstream.engine.model.TinyModels;
import io.c2cstream.engine.model.TokenBatch;
import io.c2cstream.engine.model.TransformerModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime invariants of method §10.2 on a tiny Qwen3-style receiver and a Llama-style sharer. */
class C2cGeneratorTest {
    private static final int[] PROMPT = {3, 14, 15, 9, 26, 5, 35, 8, 9, 7, 9, 32};
    private static final SamplingConfig GREEDY = SamplingConfig.greedy(10, Set.of());

    @TempDir
    Path dir;

    private TransformerModel receiver;
    private TransformerModel sharer;

    @BeforeEach
    void loadModels() {
        receiver = TinyModels.load(dir.resolve("receiver"), ModelFamily.QWEN3, 21);
        sharer = TinyModels.load(dir.resolve("sharer"), ModelFamily.LLAMA, 22);
    }

    @AfterEach
    void close() {
        receiver.close();
        sharer.close();
    }

    private C2cFuser fuser(long seed, boolean open) {
        ModelConfig r = receiver.config();
        ModelConfig s = sharer.config();
        FuserConfig config = new FuserConfig("receiver", "sharer", false, "longest", "last_aligned", "sequential",
                ProjectorConfig.reference(s.numKvHeads(), s.headDim(), r.numKvHeads(), r.headDim(), 16, 24));
        C2cFuser fuser = C2cFuser.initialize(config, r, s, Device.cpu(), seed);
        if (open) {
            fuser.projectors().forEach(p -> p.setGateLogits(0.5f, 0.5f));
        }
        return fuser;
    }

    private C2cGenerator generator(C2cFuser... fusers) {
        List<C2cGenerator.Sharer> sharers = Arrays.stream(fusers).map(f -> new C2cGenerator.Sharer(sharer, f)).toList();
        return new C2cGenerator(receiver, sharers, C2cGenerator.FusionMode.SEQUENTIAL, new Generator(receiver, Arrays::toString, 0));
    }

    @Test
    void allGatesClosedGiveTheReceiverOnlyAnswerTokenForToken() {
        try (C2cFuser closed = fuser(1, false); C2cGenerator generator = generator(closed)) {
            Generation c2c = generator.generate(C2cPrompt.sharedTokens(PROMPT, 1), GREEDY).generation();
            Generation alone = new Generator(receiver, Arrays::toString, 0).generate(PROMPT, GREEDY);
            assertArrayEquals(alone.tokens(), c2c.tokens());
        }
    }

    @Test
    void openGatesChangeTheAnswerButNeverTheFinalTokensOwnEntries() {
        try (C2cFuser open = fuser(2, true); C2cGenerator generator = generator(open); NDManager m = NDManager.newBaseManager();
             KvCache plain = receiver.newCache(1, PROMPT.length); KvCache fused = receiver.newCache(1, PROMPT.length);
             KvCache sharerCache = sharer.newCache(1, PROMPT.length)) {
            int last = PROMPT.length - 1;
            receiver.forward(TokenBatch.single(PROMPT, plain), plain, TransformerModel.Logits.LAST, m);
            float[] sectionLogits = receiver.forward(TokenBatch.single(Arrays.copyOf(PROMPT, last), fused), fused,
                    TransformerModel.Logits.ALL, m).toFloatArray();
            sharer.forward(TokenBatch.single(Arrays.copyOf(PROMPT, last), sharerCache), sharerCache, TransformerModel.Logits.LAST, m);
            open.fuse(fused, sharerCache, 0, last);
            receiver.forward(TokenBatch.single(new int[] {PROMPT[last]}, fused), fused, TransformerModel.Logits.LAST, m);

            for (int layer = 0; layer < receiver.config().numLayers(); layer++) {
                assertFalse(Arrays.equals(plain.readKeys(layer, 0, last, m).toFloatArray(),
                        fused.readKeys(layer, 0, last, m).toFloatArray()), "layer " + layer + " fused keys");
            }
            // The final prompt token is the receiver's alone: its entries are computed from the fused cache
            // but are never overwritten, and fusion came after the section's own logits (invariants 6, 7).
            try (KvCache again = receiver.newCache(1, PROMPT.length)) {
                float[] recomputed = receiver.forward(TokenBatch.single(Arrays.copyOf(PROMPT, last), again), again,
                        TransformerModel.Logits.ALL, m).toFloatArray();
                assertArrayEquals(recomputed, sectionLogits);
            }
            Generation c2c = generator.generate(C2cPrompt.sharedTokens(PROMPT, 1), GREEDY).generation();
            Generation alone = new Generator(receiver, Arrays::toString, 0).generate(PROMPT, GREEDY);
            assertFalse(Arrays.equals(alone.tokens(), c2c.tokens()), "open random projectors change the answer");
        }
    }

    @Test
    void theSharerPrefillsTheFusedSectionOnceAndNeverDecodes() {
        try (C2cFuser open = fuser(3, true); C2cGenerator generator = generator(open)) {
            C2cGenerator.Result result = generator.generate(C2cPrompt.sharedTokens(PROMPT, 1), GREEDY);
            assertEquals(10, result.generation().tokens().length);
            assertEquals(PROMPT.length - 1, result.sharerTokens());
        }
    }

    @Test
    void theSharerPrefillsBesideTheReceiverAndTheFuseWaitsForBoth() {
        try (C2cFuser open = fuser(3, true); C2cGenerator generator = generator(open)) {
            for (int i = 0; i < 3; i++) {
                C2cGenerator.Result result = generator.generate(C2cPrompt.sharedTokens(PROMPT, 1), GREEDY);
                StageTimings t = result.timings();
                double firstToken = result.generation().prefillMillis();
                assertTrue(t.sharerPrefillMs() > 0 && t.receiverPrefillMs() > 0 && t.fuseMs() > 0, t.toString());
                // Both prefills end before the fuse starts, which ends before the first token is picked; the two
                // prefills overlap, so the first token may come before the stages' sum.
                assertTrue(t.sharerPrefillMs() + t.fuseMs() <= firstToken + 1e-6, t + " against " + firstToken);
                assertTrue(t.receiverPrefillMs() + t.fuseMs() <= firstToken + 1e-6, t + " against " + firstToken);
            }
        }
    }

    @Test
    void aFailingSharerOrReceiverFailsItsGenerationOnlyAndSaysWhy() {
        try (C2cFuser open = fuser(3, true); C2cGenerator generator = generator(open)) {
            int[] outOfVocabulary = PROMPT.clone();
            outOfVocabulary[2] = 1 << 20;
            boolean[] none = new boolean[PROMPT.length];
            List<C2cPrompt.Section> sections = C2cPrompt.sharedTokens(PROMPT, 1).sections();
            C2cPrompt brokenSharer = new C2cPrompt(PROMPT, none, List.of(outOfVocabulary), List.of(none), sections);
            C2cPrompt brokenReceiver = new C2cPrompt(outOfVocabulary, none, List.of(PROMPT), List.of(none), sections);
            for (C2cPrompt broken : List.of(brokenSharer, brokenReceiver)) {
                RuntimeException e = assertThrows(RuntimeException.class, () -> generator.generate(broken, GREEDY));
                assertTrue(e.getMessage().contains("index out of range"), e.getMessage());
                Generation after = generator.generate(C2cPrompt.sharedTokens(PROMPT, 1), GREEDY).generation();
                assertEquals(10, after.tokens().length, "the generator still answers after a failure");
            }
        }
    }

    @Test
    void closingTheGeneratorEndsItsSharerThreadAndRefusesMoreWork() {
        Set<Thread> before = sharerThreads();
        try (C2cFuser open = fuser(3, true); C2cGenerator generator = generator(open)) {
            generator.generate(C2cPrompt.sharedTokens(PROMPT, 1), GREEDY);
            Set<Thread> started = sharerThreads();
            started.removeAll(before);
            assertEquals(1, started.size(), "one sharer thread per generator");
            generator.close();
            assertFalse(started.iterator().next().isAlive(), "the sharer thread has ended when close returns");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> generator.generate(C2cPrompt.sharedTokens(PROMPT, 1), GREEDY));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    private static Set<Thread> sharerThreads() {
        Set<Thread> threads = new HashSet<>(Thread.getAllStackTraces().keySet());
        threads.removeIf(t -> !t.getName().equals("c2c-sharer-prefill"));
        return threads;
    }

    @Test
    void parallelEqualsSequentialWhenOnlyOneOfTwoSharersIsOpen() {
        try (C2cFuser open = fuser(4, true); C2cFuser closed = fuser(5, false)) {
            C2cPrompt prompt = C2cPrompt.sharedTokens(PROMPT, 2);
            List<C2cGenerator.Sharer> both = List.of(new C2cGenerator.Sharer(sharer, open), new C2cGenerator.Sharer(sharer, closed));
            Generator decoder = new Generator(receiver, Arrays::toString, 0);
            try (C2cGenerator sequential = new C2cGenerator(receiver, both, C2cGenerator.FusionMode.SEQUENTIAL, decoder);
                 C2cGenerator parallel = new C2cGenerator(receiver, both, C2cGenerator.FusionMode.PARALLEL, decoder);
                 C2cGenerator single = generator(open)) {
                int[] sequentialTokens = sequential.generate(prompt, GREEDY).generation().tokens();
                assertArrayEquals(sequentialTokens, parallel.generate(prompt, GREEDY).generation().tokens());
                assertArrayEquals(sequentialTokens,
                        single.generate(C2cPrompt.sharedTokens(PROMPT, 1), GREEDY).generation().tokens());
            }
        }
    }

    @Test
    void projectorsOutputShapesEqualTheReceiverCache() {
        try (C2cFuser open = fuser(6, true); NDManager m = NDManager.newBaseManager();
             KvCache r = receiver.newCache(1, 8); KvCache s = sharer.newCache(1, 8)) {
            int[] ids = Arrays.copyOf(PROMPT, 5);
            receiver.forward(TokenBatch.single(ids, r), r, TransformerModel.Logits.LAST, m);
            sharer.forward(TokenBatch.single(ids, s), s, TransformerModel.Logits.LAST, m);
            C2cProjector.Kv own = new C2cProjector.Kv(r.readKeys(2, 0, 5, m), r.readValues(2, 0, 5, m));
            C2cProjector.Kv fused = open.fuseLayer(2, own, s, 0, 5, m);
            assertArrayEquals(own.keys().getShape().getShape(), fused.keys().getShape().getShape());
            assertArrayEquals(own.values().getShape().getShape(), fused.values().getShape().getShape());
        }
    }
}
