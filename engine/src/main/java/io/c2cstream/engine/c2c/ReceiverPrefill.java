package io.c2cstream.engine.c2c;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.TransformerModel;

/**
 * The receiver's half of C2C prefill (method §4.3) for one prompt, one fused section at a time: after a fused
 * section has been prefilled, the caller fuses the sharer's entries for it into {@link #cache()} before the
 * rest is prefilled, so that later tokens attend to the fused entries. Unfused sections are read in the same
 * forward pass as the fused section that follows them: nothing changes their entries, so the fused tokens see
 * the same cache as section by section, one pass fewer. After the final (never fused) section,
 * {@link #lastLogits()} holds the logits decoding starts from.
 *
 * <p>Owns its cache until {@link #takeCache()} hands it on (to a decoder); closing frees whatever it still owns.
 */
public final class ReceiverPrefill implements AutoCloseable {
    private final TransformerModel receiver;
    private final C2cPrompt prompt;
    private final NDManager manager;
    private KvCache cache;
    private NDArray lastLogits;
    private int next;

    /** @param decodeHeadroom columns reserved past the prompt for the tokens to be decoded */
    public ReceiverPrefill(TransformerModel receiver, C2cPrompt prompt, int decodeHeadroom) {
        this.receiver = receiver;
        this.prompt = prompt;
        this.manager = NDManager.newBaseManager(receiver.device());
        this.cache = receiver.newCache(1, prompt.length() + decodeHeadroom);
    }

    /** Whether every section has been prefilled. */
    public boolean finished() {
        return next == prompt.sections().size();
    }

    /**
     * Prefills, in one forward pass, every section up to the next fused one (or to the end) and returns the
     * last section read: fuse it, if it is fused, before calling again.
     */
    public C2cPrompt.Section prefillNext() {
        if (finished()) {
            throw new IllegalStateException("every section of the prompt is prefilled already");
        }
        int from = prompt.sections().get(next).from();
        while (!prompt.sections().get(next).fused() && next < prompt.sections().size() - 1) {
            next++;
        }
        C2cPrompt.Section section = prompt.sections().get(next++);
        try (NDManager step = manager.newSubManager()) {
            NDArray logits = receiver.forward(prompt.receiverBatch(from, section.to()), cache, TransformerModel.Logits.LAST,
                    step);
            if (finished()) {
                logits.attach(manager);
                lastLogits = logits;
            }
        }
        return section;
    }

    public C2cPrompt prompt() {
        return prompt;
    }

    public KvCache cache() {
        return cache;
    }

    /** Logits {@code [1, 1, vocab]} of the last prompt token, once {@link #finished()}. */
    public NDArray lastLogits() {
        if (lastLogits == null) {
            throw new IllegalStateException("the final section is not prefilled yet");
        }
        return lastLogits;
    }

    /** Hands the cache to the caller, who closes it from now on. */
    public KvCache takeCache() {
        KvCache taken = cache;
        cache = null;
        return taken;
    }

    @Override
    public void close() {
        manager.close();
        if (cache != null) {
            cache.close();
        }
    }
}
