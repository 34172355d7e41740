package io.c2cstream.engine.c2c;

import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.TransformerModel;

/**
 * The sharer's half of C2C prefill (method §4.3): it reads its aligned ids up to the end of the last section it is
 * fused into, and never decodes. Nothing is fused into the sharer's own cache, so its causal prefill of all those
 * tokens at once equals the receiver's section-by-section order, in one forward pass instead of one per section.
 * The streaming job runs this on the sharer's slot and ships the cache; {@link C2cGenerator} runs it in process.
 */
public final class SharerPrefill {
    private SharerPrefill() {}

    /**
     * Prefills sharer {@code j} of {@code prompt} and returns its cache (the caller closes it); columns past
     * the last section fused from this sharer are not computed because nothing reads them.
     */
    public static KvCache run(TransformerModel sharer, C2cPrompt prompt, int j) {
        int last = lastSectionFusedFrom(prompt, j);
        int columns = last < 0 ? 0 : prompt.sections().get(last).to();
        KvCache cache = sharer.newCache(1, Math.max(columns, 1));
        if (columns == 0) {
            return cache;
        }
        try (NDManager scope = NDManager.newBaseManager(sharer.device())) {
            sharer.forward(prompt.sharerBatch(j, 0, columns), cache, TransformerModel.Logits.LAST, scope);
            return cache;
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
    }

    private static int lastSectionFusedFrom(C2cPrompt prompt, int j) {
        for (int i = prompt.sections().size() - 1; i >= 0; i--) {
            if ((prompt.sections().get(i).sharers() & (1 << j)) != 0) {
                return i;
            }
        }
        return -1;
    }
}
