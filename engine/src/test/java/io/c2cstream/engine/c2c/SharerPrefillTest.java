package io.c2cstream.engine.c2c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.checkpoint.TensorDType;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.ModelFamily;
import io.c2cstream.engine.model.TinyModels;
import io.c2cstream.engine.model.TransformerModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sharer reads everything up to its last fused section in one pass, as if section by section. */
class SharerPrefillTest {
    private static final int[] RECEIVER_IDS = {3, 14, 15, 9, 26, 5, 35, 8, 9, 7, 9, 32};
    private static final int[] SHARER_IDS = {4, 11, 19, 2, 0, 33, 6, 12, 29, 3, 17, 21};
    /** An aligned prompt pads the sharer where its tokenizer needs fewer tokens than the receiver's. */
    private static final boolean[] SHARER_PADDING = {false, false, false, false, true, false, false, false, false,
            false, false, false};
    private static final List<C2cPrompt.Section> SECTIONS = List.of(new C2cPrompt.Section(0, 4, 1),
            new C2cPrompt.Section(4, 7, 0), new C2cPrompt.Section(7, 10, 1), new C2cPrompt.Section(10, 12, 0));

    @TempDir
    Path dir;

    @Test
    void oneForwardPassEqualsSectionBySectionPrefillUpToTheLastFusedSection() {
        TinyModels.write(dir, ModelFamily.LLAMA, TensorDType.F32, 22);
        C2cPrompt prompt = new C2cPrompt(RECEIVER_IDS, new boolean[RECEIVER_IDS.length], List.of(SHARER_IDS),
                List.of(SHARER_PADDING), SECTIONS);
        try (TransformerModel sharer = TransformerModel.load(dir);
             KvCache once = SharerPrefill.run(sharer, prompt, 0);
             KvCache bySection = sharer.newCache(1, 10);
             NDManager scope = NDManager.newBaseManager(sharer.device())) {
            for (C2cPrompt.Section s : SECTIONS.subList(0, 3)) {
                sharer.forward(prompt.sharerBatch(0, s.from(), s.to()), bySection, TransformerModel.Logits.LAST, scope);
            }
            assertEquals(10, once.length(), "nothing after the last fused section is computed");
            for (int layer = 0; layer < sharer.config().numLayers(); layer++) {
                assertArrayEquals(bySection.readKeys(layer, 0, 10, scope).toFloatArray(),
                        once.readKeys(layer, 0, 10, scope).toFloatArray(), 1e-5f, "keys of layer " + layer);
                assertArrayEquals(bySection.readValues(layer, 0, 10, scope).toFloatArray(),
                        once.readValues(layer, 0, 10, scope).toFloatArray(), 1e-5f, "values of layer " + layer);
            }
        }
    }
}
