package io.c2cstream.engine.fuser;

import static io.c2cstream.engine.fuser.ProjectorStackTest.assertRelativelyClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.engine.model.ModelFamily;
import io.c2cstream.engine.model.TinyModels;
import io.c2cstream.engine.model.TokenBatch;
import io.c2cstream.engine.model.TransformerModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fuser fusing a whole cache (all layers stacked in one pass) or one layer at a time writes what each layer's
 * projector computes on its own, gate by gate: a Qwen3-style receiver, a Llama-style sharer, two rows.
 */
class C2cFuserInferenceTest {
    private static final int[][] ROWS = {{3, 14, 15, 9, 26, 5, 35}, {8, 9, 7, 9, 32, 2, 11}};
    private static final int FROM = 2;
    private static final int TO = 6;

    @TempDir
    Path dir;

    private TransformerModel receiver;
    private TransformerModel sharer;
    private C2cFuser fuser;
    private NDManager m;

    @BeforeEach
    void setUp() {
        receiver = TinyModels.load(dir.resolve("receiver"), ModelFamily.QWEN3, 31);
        sharer = TinyModels.load(dir.resolve("sharer"), ModelFamily.LLAMA, 32);
        ModelConfig r = receiver.config();
        ModelConfig s = sharer.config();
        fuser = C2cFuser.initialize(new FuserConfig("receiver", "sharer", false, "longest", "last_aligned", "sequential",
                ProjectorConfig.reference(s.numKvHeads(), s.headDim(), r.numKvHeads(), r.headDim(), 16, 24)), r, s, Device.cpu(), 5);
        // Layer 0 fully open, layer 1 keys only, layer 2 closed.
        fuser.projectors().get(fuser.layerMap().sources(0).get(0).projectorIndex()).setGateLogits(1f, 1f);
        fuser.projectors().get(fuser.layerMap().sources(1).get(0).projectorIndex()).setGateLogits(1f, -1f);
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        m.close();
        fuser.close();
        receiver.close();
        sharer.close();
    }

    @Test
    void fusingAllLayersAtOnceEqualsEachProjectorOnItsOwn() {
        try (KvCache sharerCache = prefill(sharer); KvCache cache = prefill(receiver)) {
            List<C2cProjector.Kv> expected = expectedPerLayer(cache, sharerCache);
            fuser.fuse(cache, sharerCache, FROM, TO);
            assertLayersEqual(expected, cache);
        }
    }

    @Test
    void fusingLayerByLayerEqualsEachProjectorOnItsOwn() {
        try (KvCache sharerCache = prefill(sharer); KvCache cache = prefill(receiver)) {
            List<C2cProjector.Kv> expected = expectedPerLayer(cache, sharerCache);
            for (int t = 0; t < receiver.config().numLayers(); t++) {
                fuser.fuseLayer(cache, t, sharerCache, FROM, TO);
            }
            assertLayersEqual(expected, cache);
        }
    }

    private KvCache prefill(TransformerModel model) {
        KvCache cache = model.newCache(ROWS.length, ROWS[0].length);
        model.forward(TokenBatch.continuing(ROWS, cache), cache, TransformerModel.Logits.LAST, m);
        return cache;
    }

    private List<C2cProjector.Kv> expectedPerLayer(KvCache cache, KvCache sharerCache) {
        List<C2cProjector.Kv> expected = new ArrayList<>();
        for (int t = 0; t < receiver.config().numLayers(); t++) {
            int s = fuser.sharerLayerOf(t);
            expected.add(fuser.projectorOf(t).fuse(
                    new C2cProjector.Kv(sharerCache.readKeys(s, FROM, TO, m), sharerCache.readValues(s, FROM, TO, m)),
                    new C2cProjector.Kv(cache.readKeys(t, FROM, TO, m), cache.readValues(t, FROM, TO, m))));
        }
        return expected;
    }

    private void assertLayersEqual(List<C2cProjector.Kv> expected, KvCache cache) {
        for (int t = 0; t < expected.size(); t++) {
            assertRelativelyClose(expected.get(t).keys(), cache.readKeys(t, FROM, TO, m), "layer " + t + " keys");
            assertRelativelyClose(expected.get(t).values(), cache.readValues(t, FROM, TO, m), "layer " + t + " values");
        }
        // Closed paths are left bit for bit: layer 1's values and all of layer 2.
        assertArrayEquals(expected.get(1).values().toFloatArray(), cache.readValues(1, FROM, TO, m).toFloatArray());
        assertArrayEquals(expected.get(2).keys().toFloatArray(), cache.readKeys(2, FROM, TO, m).toFloatArray());
        assertArrayEquals(expected.get(2).values().toFloatArray(), cache.readValues(2, FROM, TO, m).toFloatArray());
    }
}
