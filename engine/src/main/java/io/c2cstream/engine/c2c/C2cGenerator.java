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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * C2C generation (method §4.3–4.4): sectioned prefill in which, after the receiver has processed a fused
 * section and every sharer has prefilled the same section, each mapped receiver layer's entries for that
 * section are replaced by the fuser's output; the final section (the last prompt token) and every decode
 * step then read the fused cache. Sharers run prefill only, never during decode.
 *
 * <p>The sharers prefill on the generator's own thread while the receiver prefills up to the first fused section
 * (which needs nothing from them), as the streaming job's separate operators do; the fuse waits for both. A
 * generator serves one caller at a time; {@link #close()} stops its thread, the models and fusers stay the caller's.
 */
public final class C2cGenerator implements AutoCloseable {
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
    private ExecutorService sharerThread;
    /** The executor's one thread, joined by {@link #close()}. */
    private volatile Thread sharerWorker;
    private boolean closed;

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
        // The receiver's prefill up to the first fused section needs nothing from the sharers: run them beside it.
        CompletableFuture<SharerCaches> sharerPrefill = CompletableFuture.supplyAsync(() -> prefillSharers(prompt),
                sharerThread());
        try (ReceiverPrefill prefill = new ReceiverPrefill(receiver, prompt, sampling.maxNewTokens())) {
            long receiverNanos = 0;
            long fuseNanos = 0;
            while (!prefill.finished()) {
                long t = System.nanoTime();
                C2cPrompt.Section section = prefill.prefillNext();
                receiverNanos += System.nanoTime() - t;
                if (section.fused()) {
                    List<KvCache> sharerCaches = await(sharerPrefill).caches();
                    t = System.nanoTime();
                    fuse(prefill.cache(), sharerCaches, section);
                    fuseNanos += System.nanoTime() - t;
                }
            }
            long t = System.nanoTime();
            Generation generation = decoder.decode(prefill.cache(), prefill.lastLogits(), sampling, start).get(0);
            SharerCaches sharerCaches = await(sharerPrefill);
            // The receiver's share of the prefill includes picking the first token.
            double receiverMs = (receiverNanos + (System.nanoTime() - t)) / 1e6 - generation.decodeMillis();
            return new Result(generation, new StageTimings(sharerCaches.nanos() / 1e6, receiverMs, fuseNanos / 1e6,
                    generation.decodeMillis(), 0), sharerCaches.tokens());
        } finally {
            // Even when the receiver failed first, the sharers' prefill has ended and their caches are freed before
            // this returns: nothing is left running on models the caller may close next.
            try {
                sharerPrefill.join().caches().forEach(KvCache::close);
            } catch (CompletionException sharerFailed) {
                // Already thrown to the caller, or lost behind the receiver's own failure; prefillSharers freed its caches.
            }
        }
    }

    /** The sharers' caches once their prefill has ended, or the exception that ended it. */
    private static SharerCaches await(CompletableFuture<SharerCaches> sharerPrefill) {
        try {
            return sharerPrefill.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The thread every sharer prefill runs on, started by the first generation and stopped by {@link #close()}. */
    private synchronized ExecutorService sharerThread() {
        if (closed) {
            throw new IllegalStateException("this C2C generator is closed");
        }
        if (sharerThread == null) {
            sharerThread = Executors.newSingleThreadExecutor(task -> {
                sharerWorker = new Thread(task, "c2c-sharer-prefill");
                sharerWorker.setDaemon(true);
                return sharerWorker;
            });
        }
        return sharerThread;
    }

    /** Ends the sharer thread before returning (no prefill runs once every generation has returned); the models stay the caller's. */
    @Override
    public synchronized void close() {
        closed = true;
        if (sharerThread == null) {
            return;
        }
        sharerThread.shutdown();
        boolean interrupted = false;
        while (sharerWorker != null && sharerWorker.isAlive()) {
            try {
                sharerWorker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every sharer's cache of one prompt, and how long their prefill took on the sharer thread. */
    private record SharerCaches(List<KvCache> caches, int tokens, long nanos) {}

    private SharerCaches prefillSharers(C2cPrompt prompt) {
        long start = System.nanoTime();
        List<KvCache> caches = new ArrayList<>();
        int tokens = 0;
        try {
            for (int j = 0; j < sharers.size(); j++) {
                KvCache cache = SharerPrefill.run(sharers.get(j).model(), prompt, j);
                caches.add(cache);
                tokens += cache.length();
            }
        } catch (RuntimeException e) {
            caches.forEach(KvCache::close);
            throw e;
        }
        return new SharerCaches(caches, tokens, System.nanoTime() - start);
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
