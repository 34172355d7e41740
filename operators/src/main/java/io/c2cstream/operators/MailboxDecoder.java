package io.c2cstream.operators;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.generate.ContinuousDecoder;
import io.c2cstream.engine.generate.LanguageModel;
import io.c2cstream.engine.generate.SamplingConfig;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.TokenBatch;
import io.c2cstream.engine.model.TransformerModel;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * A {@link ContinuousDecoder} driven from a Flink operator's mailbox: each batched decode step runs as a
 * processing-time callback, so the task takes records, timers and checkpoint barriers between steps, and a new
 * sequence joins the batch while others decode. Every call must come from the task's thread.
 */
final class MailboxDecoder implements AutoCloseable {
    private final LanguageModel model;
    private final ContinuousDecoder decoder;
    private final ProcessingTimeService time;
    private final Consumer<ContinuousDecoder.Finished> onFinished;
    private boolean stepScheduled;

    /**
     * @param maxBatch   most sequences decoding at once; admitting one more first steps until one finishes
     * @param onFinished called, from the task's thread, with every sequence as it finishes
     */
    MailboxDecoder(LanguageModel model, int maxBatch, ProcessingTimeService time,
                   Consumer<ContinuousDecoder.Finished> onFinished) {
        this.model = model;
        this.decoder = new ContinuousDecoder(model.model(), model.tokenizer()::decodeSkippingSpecial, model.padId(),
                maxBatch);
        this.time = time;
        this.onFinished = onFinished;
    }

    /**
     * Prefills {@code ids} alone in one forward pass, as {@code Generator.generate} does, and admits the sequence.
     *
     * @param startNanos when the request's work began, so that the reported prefill time covers any wait
     * @return the nanoseconds the prefill took
     */
    long prefillAndAdmit(String id, int[] ids, SamplingConfig sampling, long startNanos) {
        TransformerModel m = model.model();
        long t = System.nanoTime();
        KvCache cache = m.newCache(1, ids.length + sampling.maxNewTokens());
        try (NDManager scope = NDManager.newBaseManager(m.device())) {
            NDArray logits = m.forward(TokenBatch.leftPadded(List.of(ids), model.padId()), cache,
                    TransformerModel.Logits.LAST, scope);
            long prefillNanos = System.nanoTime() - t;
            admit(id, cache, logits, sampling, startNanos);
            return prefillNanos;
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
    }

    /**
     * Admits a prefilled batch-1 cache (ownership passes to the decoder, see {@link ContinuousDecoder#admit}) and
     * makes sure a step is scheduled. When the batch is full, steps until a sequence finishes first.
     */
    void admit(String id, KvCache cache, NDArray lastLogits, SamplingConfig sampling, long startNanos) {
        while (decoder.isFull()) {
            step();
        }
        decoder.admit(id, cache, lastLogits, sampling, startNanos);
        scheduleStep();
    }

    /** One batched decode step now; hands every sequence it finished to the callback. */
    void step() {
        for (ContinuousDecoder.Finished done : decoder.step()) {
            onFinished.accept(done);
        }
    }

    /** Steps until every admitted sequence has finished (end of input, back-pressure). */
    void drain() {
        while (decoder.active() > 0) {
            step();
        }
    }

    private void scheduleStep() {
        if (stepScheduled || decoder.active() == 0) {
            return;
        }
        stepScheduled = true;
        time.registerTimer(time.getCurrentProcessingTime(), t -> {
            stepScheduled = false;
            step();
            scheduleStep();
        });
    }

    /** Sequences admitted and not finished. */
    int active() {
        return decoder.active();
    }

    /** Native KV bytes the decoder holds. */
    long kvBytes() {
        return decoder.kvBytes();
    }

    @Override
    public void close() {
        decoder.close();
    }
}
