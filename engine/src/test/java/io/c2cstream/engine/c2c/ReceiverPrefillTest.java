package io.c2cstream.engine.c2c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.fuser.FuserConfig;
import io.c2cstream.engine.fuser.ProjectorConfig;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.engine.model.ModelFamily;
import io.c2cstream.engine.model.TinyModels;
import io.c2cstream.engine.model.TransformerModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiver reads each fused section together with the unfused ones before it, as if section by section. */
class ReceiverPrefillTest {
    private static final int[] RECEIVER_IDS = {3, 14, 15, 9, 26, 5, 35, 8, 9, 7, 9, 32};
    private static final int[] SHARER_IDS = {4, 11, 19, 2, 0, 33, 6, 12, 29, 3, 17, 21};
    private static final List<C2cPrompt.Section> SECTIONS = List.of(new C2cPrompt.Section(0, 3, 0),
            new C2cPrompt.Section(3, 6, 1), new C2cPrompt.Section(6, 8, 0), new C2cPrompt.Section(8, 10, 1),
            new C2cPrompt.Section(10, 12, 0));

    @TempDir
    Path dir;

    @Test
    void onePassPerFusedSectionEqualsSectionBySectionPrefillWithTheSameFusion() {
        C2cPrompt prompt = new C2cPrompt(RECEIVER_IDS, new boolean[RECEIVER_IDS.length], List.of(SHARER_IDS),
                List.of(new boolean[SHARER_IDS.length]), SECTIONS);
        try (TransformerModel receiver = TinyModels.load(dir.resolve("receiver"), ModelFamily.QWEN3, 21);
             TransformerModel sharer = TinyModels.load(dir.resolve("sharer"), ModelFamily.LLAMA, 22);
             C2cFuser fuser = openFuser(receiver.config(), sharer.config());
             KvCache sharerCache = SharerPrefill.run(sharer, prompt, 0);
             ReceiverPrefill prefill = new ReceiverPrefill(receiver, prompt, 0);
             KvCache bySection = receiver.newCache(1, RECEIVER_IDS.length);
             NDManager scope = NDManager.newBaseManager(receiver.device())) {
            List<C2cPrompt.Section> returned = new ArrayList<>();
            while (!prefill.finished()) {
                C2cPrompt.Section s = prefill.prefillNext();
                returned.add(s);
                if (s.fused()) {
                    fuser.fuse(prefill.cache(), sharerCache, s.from(), s.to());
                }
            }
            NDArray lastLogits = null;
            for (C2cPrompt.Section s : SECTIONS) {
                lastLogits = receiver.forward(prompt.receiverBatch(s.from(), s.to()), bySection,
                        TransformerModel.Logits.LAST, scope);
                if (s.fused()) {
                    fuser.fuse(bySection, sharerCache, s.from(), s.to());
                }
            }
            assertEquals(List.of(SECTIONS.get(1), SECTIONS.get(3), SECTIONS.get(4)), returned, "one pass per fused section, then the rest");
            for (int layer = 0; layer < receiver.config().numLayers(); layer++) {
                assertArrayEquals(bySection.readKeys(layer, 0, 12, scope).toFloatArray(),
                        prefill.cache().readKeys(layer, 0, 12, scope).toFloatArray(), 1e-5f, "keys of layer " + layer);
                assertArrayEquals(bySection.readValues(layer, 0, 12, scope).toFloatArray(),
                        prefill.cache().readValues(layer, 0, 12, scope).toFloatArray(), 1e-5f, "values of layer " + layer);
            }
            assertArrayEquals(lastLogits.toFloatArray(), prefill.lastLogits().toFloatArray(), 1e-5f);
        }
    }

    private static C2cFuser openFuser(ModelConfig r, ModelConfig s) {
        FuserConfig config = new FuserConfig("receiver", "sharer", false, "longest", "last_aligned", "sequential",
                ProjectorConfig.reference(s.numKvHeads(), s.headDim(), r.numKvHeads(), r.headDim(), 16, 24));
        C2cFuser fuser = C2cFuser.initialize(config, r, s, Device.cpu(), 9);
        fuser.projectors().forEach(p -> p.setGateLogits(0.5f, 0.5f));
        return fuser;
    }
}
