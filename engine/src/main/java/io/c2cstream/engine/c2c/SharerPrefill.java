package io.c2cstream.engine.c2c;

import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.TransformerModel;

/**
 * The sharer's half of C2C prefill (method §4.3): it reads its aligned ids section by section, exactly as the
 * receiver does, up to the end of the last section it is fused into, and never decodes. The streaming job runs
 * this on the sharer's slot and ships the cache; {@link C2cGenerator} runs it in process.
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
        try (NDManager scope = NDManager.newBaseManager(sharer.device())) {
            for (int i = 0; i <= last; i++) {
                try (NDManager step = scope.newSubManager()) {
                    sharer.forward(prompt.sharerBatch(j, prompt.sections().get(i)), cache, TransformerModel.Logits.LAST,
                            step);
                }
            }
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
