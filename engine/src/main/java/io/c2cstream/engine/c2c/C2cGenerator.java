package io.c2cstream.engine.c2c;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.fuser.C2cProjector;
import io.c2cstream.engine.generate.Generation;
import io.c2cstream.engine.generate.Generator;
import io.c2cstream.engine.generate.SamplingConfig;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.TransformerModel;
import java.util.ArrayList;
import java.util.List;

/**
 * C2C generation (method §4.3–4.4): sectioned prefill in which, after the receiver has processed a fused
 * section and every sharer has prefilled the same section, each mapped receiver layer's entries for that
 * section are replaced by the fuser's output; the final section (the last prompt token) and every decode
 * step then read the fused cache. Sharers run prefill only, never during decode.
 */
public final class C2cGenerator {
    /** One sharer and the fuser trained to project its cache into the receiver's. */
    public record Sharer(TransformerModel model, C2cFuser fuser) {}

    /** How several sharers combine (method §4.7); identical for one sharer. */
    public enum FusionMode { SEQUENTIAL, PARALLEL }

    /**
     * @param sharerTokens tokens the sharers prefilled, summed over sharers (none are decoded)
     */
    public record Result(Generation generation, StageTimings timings, int sharerTokens) {}

    private final TransformerModel receiver;
    private final List<Sharer> sharers;
    private final FusionMode fusionMode;
    private final Generator decoder;

    public C2cGenerator(TransformerModel receiver, List<Sharer> sharers, FusionMode fusionMode, Generator decoder) {
        for (Sharer s : sharers) {
            s.fuser().checkFits(receiver.config(), s.model().config());
        }
        this.receiver = receiver;
        this.sharers = List.copyOf(sharers);
        this.fusionMode = fusionMode;
        this.decoder = decoder;
    }

    public Result generate(C2cPrompt prompt, SamplingConfig sampling) {
        if (prompt.sharerIds().size() != sharers.size()) {
            throw new IllegalArgumentException("prompt has ids for " + prompt.sharerIds().size() + " sharers, generator has "
                    + sharers.size());
        }
        long start = System.nanoTime();
        List<KvCache> sharerCaches = new ArrayList<>();
        try (ReceiverPrefill prefill = new ReceiverPrefill(receiver, prompt, sampling.maxNewTokens())) {
            int sharerTokens = 0;
            for (int j = 0; j < sharers.size(); j++) {
                KvCache sharerCache = SharerPrefill.run(sharers.get(j).model(), prompt, j);
                sharerCaches.add(sharerCache);
                sharerTokens += sharerCache.length();
            }
            long sharerNanos = System.nanoTime() - start;
            long fuseNanos = 0;
            while (!prefill.finished()) {
                C2cPrompt.Section section = prefill.prefillNext();
                if (section.fused()) {
                    long t = System.nanoTime();
                    fuse(prefill.cache(), sharerCaches, section);
                    fuseNanos += System.nanoTime() - t;
                }
            }
            Generation generation = decoder.decode(prefill.cache(), prefill.lastLogits(), sampling, start).get(0);
            // The receiver's share of the prefill includes picking the first token.
            double receiverMs = generation.prefillMillis() - (sharerNanos + fuseNanos) / 1e6;
            return new Result(generation, new StageTimings(sharerNanos / 1e6, receiverMs, fuseNanos / 1e6,
                    generation.decodeMillis(), 0), sharerTokens);
        } finally {
            sharerCaches.forEach(KvCache::close);
        }
    }

    private void fuse(KvCache cache, List<KvCache> sharerCaches, C2cPrompt.Section section) {
        List<Integer> selected = new ArrayList<>();
        for (int j = 0; j < sharers.size(); j++) {
            if ((section.sharers() & (1 << j)) != 0) {
                selected.add(j);
            }
        }
        if (fusionMode == FusionMode.SEQUENTIAL || selected.size() == 1) {
            // Each sharer fuses on top of the cache the previous one left.
            for (int j : selected) {
                sharers.get(j).fuser().fuse(cache, sharerCaches.get(j), section.from(), section.to());
            }
            return;
        }
        // Parallel: every sharer projects against the same pre-fusion entries; their residuals add up.
        try (NDManager scope = NDManager.newBaseManager(receiver.device())) {
            for (int t = 0; t < receiver.config().numLayers(); t++) {
                C2cProjector.Kv base = new C2cProjector.Kv(cache.readKeys(t, section.from(), section.to(), scope),
                        cache.readValues(t, section.from(), section.to(), scope));
                NDArray keys = base.keys();
                NDArray values = base.values();
                boolean touched = false;
                for (int j : selected) {
                    C2cFuser fuser = sharers.get(j).fuser();
                    if (t < fuser.layerMap().receiverLayers() && fuser.fusesLayer(t)) {
                        C2cProjector.Kv fused = fuser.fuseLayer(t, base, sharerCaches.get(j), section.from(), section.to(), scope);
                        keys = keys.add(fused.keys().sub(base.keys()));
                        values = values.add(fused.values().sub(base.values()));
                        touched = true;
                    }
                }
                if (touched) {
                    cache.overwrite(t, section.from(), keys, values);
                }
            }
        }
    }
}
