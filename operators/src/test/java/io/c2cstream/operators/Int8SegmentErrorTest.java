package io.c2cstream.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.c2c.C2cPrompt;
import io.c2cstream.engine.c2c.ReceiverPrefill;
import io.c2cstream.engine.c2c.SharerPrefill;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.KvSource;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.schemas.avro.Mode;
import io.c2cstream.schemas.kv.KvDtype;
import io.c2cstream.schemas.kv.KvSegmentCodec;
import io.c2cstream.schemas.kv.KvSegmentId;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The error INT8 segments introduce into a fused receiver cache, against F32 segments of the same sharer cache:
 * the zoo's sharer prefills a question, its cache crosses the codec as the job sends it, the receiver prefills and
 * fuses section by section (method §4.3), and the two fused caches are compared. Prints the measurement recorded
 * in docs/benchmarks.md ("Wire contracts").
 */
class Int8SegmentErrorTest {
    private static LoadedPair pair;

    @BeforeAll
    static void load() {
        pair = LoadedPair.load("int8-error", ZooRequests.config(), Device.cpu());
    }

    @AfterAll
    static void close() {
        pair.close();
    }

    /** Sums of squares and the largest difference between a reference and a candidate, over many arrays. */
    private static final class Error {
        double squaredDifference;
        double squaredReference;
        double maxDifference;
        double maxReference;

        void add(NDArray reference, NDArray candidate) {
            float[] r = reference.toFloatArray();
            float[] c = candidate.toFloatArray();
            for (int i = 0; i < r.length; i++) {
                double d = Math.abs((double) r[i] - c[i]);
                squaredDifference += d * d;
                squaredReference += (double) r[i] * r[i];
                maxDifference = Math.max(maxDifference, d);
                maxReference = Math.max(maxReference, Math.abs(r[i]));
            }
        }

        double relativeRms() {
            return Math.sqrt(squaredDifference / squaredReference);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "relative RMS %.3f%%, max |Δ| %.4f (max |x| %.2f)",
                    100 * relativeRms(), maxDifference, maxReference);
        }
    }

    /** The sharer cache as the receiver stage holds it after every segment crossed the codec with {@code dtype}. */
    private static SegmentedKv sent(KvCache sharerCache, C2cPrompt prompt, KvDtype dtype) {
        ModelConfig m = pair.sharer().model().config();
        KvSegmentCodec codec = KvSegmentCodec.builder().dtype(dtype).build();
        var pieces = SegmentPlan.pieces(pair.fuser(), prompt, codec, "q", "sharer", m.numKvHeads(), m.headDim(), 1,
                1 << 20);
        SegmentedKv received = new SegmentedKv(m.numKvHeads(), m.headDim());
        try (NDManager scope = NDManager.newBaseManager(Device.cpu())) {
            for (int i = 0; i < pieces.size(); i++) {
                received.add(codec.decode(codec.encode(new KvSegmentId("q", "sharer", i, pieces.size()),
                        CacheSlices.read(sharerCache, pieces.get(i), m.numKvHeads(), m.headDim(), scope))));
            }
        }
        return received;
    }

    /** The receiver's prefill of {@code prompt} with every fused section fused from {@code sharer}. */
    private static ReceiverPrefill fusedPrefill(C2cPrompt prompt, KvSource sharer) {
        ReceiverPrefill prefill = new ReceiverPrefill(pair.receiver().model(), prompt, 0);
        while (!prefill.finished()) {
            C2cPrompt.Section s = prefill.prefillNext();
            if (s.fused()) {
                pair.fuser().fuse(prefill.cache(), sharer, s.from(), s.to());
            }
        }
        return prefill;
    }

    @Test
    void int8SegmentsChangeTheFusedCacheByAboutTheirOwnQuantizationErrorAndNotTheNextToken() {
        C2cPrompt prompt = pair.prompts().c2cPrompt(Requests.prompt(ZooRequests.request("q", Mode.C2C)));
        ModelConfig receiver = pair.receiver().model().config();
        Error sharerError = new Error();
        Error fusedError = new Error();
        try (KvCache sharerCache = SharerPrefill.run(pair.sharer().model(), prompt, 0);
             ReceiverPrefill f32 = fusedPrefill(prompt, sent(sharerCache, prompt, KvDtype.F32));
             NDManager scope = NDManager.newBaseManager(Device.cpu())) {
            SegmentedKv int8Sent = sent(sharerCache, prompt, KvDtype.INT8);
            try (ReceiverPrefill int8 = fusedPrefill(prompt, int8Sent)) {
                for (C2cPrompt.Section s : prompt.sections()) {
                    if (!s.fused()) {
                        continue;
                    }
                    for (int layer : SegmentPlan.sharerLayersRead(pair.fuser())) {
                        sharerError.add(sharerCache.readKeys(layer, s.from(), s.to(), scope),
                                int8Sent.readKeys(layer, s.from(), s.to(), scope));
                        sharerError.add(sharerCache.readValues(layer, s.from(), s.to(), scope),
                                int8Sent.readValues(layer, s.from(), s.to(), scope));
                    }
                    for (int layer = 0; layer < receiver.numLayers(); layer++) {
                        fusedError.add(f32.cache().readKeys(layer, s.from(), s.to(), scope),
                                int8.cache().readKeys(layer, s.from(), s.to(), scope));
                        fusedError.add(f32.cache().readValues(layer, s.from(), s.to(), scope),
                                int8.cache().readValues(layer, s.from(), s.to(), scope));
                    }
                }
                Error logitError = new Error();
                logitError.add(f32.lastLogits(), int8.lastLogits());
                System.out.printf(Locale.ROOT, "INT8 vs F32 segments, %d prompt tokens; over the fused sections:%n"
                                + "  sharer cache sent: %s%n  fused receiver cache: %s%n  last-token logits: %s%n",
                        prompt.length(), sharerError, fusedError, logitError);
                assertTrue(sharerError.relativeRms() > 0, "INT8 is lossy: the comparison must see a difference");
                assertTrue(fusedError.relativeRms() <= 2 * sharerError.relativeRms(),
                        "the fuser must not amplify the quantization error: " + fusedError + " against " + sharerError);
                assertEquals(f32.lastLogits().argMax().getLong(), int8.lastLogits().argMax().getLong(),
                        "the first answer token");
            }
        }
    }
}
