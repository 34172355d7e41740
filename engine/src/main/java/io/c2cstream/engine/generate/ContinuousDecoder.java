package io.c2cstream.engine.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.engine.model.TokenBatch;
import io.c2cstream.engine.model.TransformerModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Continuous batching of decode: many in-flight sequences advance together, one batched forward per
 * {@link #step()}, joining after their own prefill (possibly a fused cache) and leaving when they finish. Each
 * sequence decodes exactly as {@link Generator#decode} would decode it alone: its own sampler and config.
 *
 * <p>All rows live in one batched {@link KvCache}, re-composed ({@link KvCache#compose}) only when membership
 * changes: when sequences join, or when finished rows (fed padding meanwhile) are at least half the batch.
 * Not thread-safe: one caller drives it.
 */
public final class ContinuousDecoder implements AutoCloseable {
    /** A sequence that finished at the last step, with the id it was admitted under. */
    public record Finished(String id, Generation generation) {}

    /** An admitted sequence; {@code prefilled} is its own cache until it is merged into the batch. */
    private static final class Entry {
        final String id;
        final DecodingSequence sequence;
        KvCache prefilled;

        Entry(String id, DecodingSequence sequence, KvCache prefilled) {
            this.id = id;
            this.sequence = sequence;
            this.prefilled = prefilled;
        }
    }

    private final TransformerModel model;
    private final Function<int[], String> detokenizer;
    private final int padId;
    private final int maxBatch;
    private final NDManager manager;
    /** Every sequence admitted and neither returned by {@link #step()} nor cancelled, by id. */
    private final Map<String, Entry> admitted = new LinkedHashMap<>();
    /** Admitted sequences that still need a row in the batch. */
    private final List<Entry> joining = new ArrayList<>();
    /** Sequences whose first token already stopped them, returned by the next step. */
    private final List<Finished> finishedAtAdmission = new ArrayList<>();
    /** The batched cache's rows: {@code rows.get(b)} decodes in row b; null for a finished row fed padding. */
    private final List<Entry> rows = new ArrayList<>();
    private KvCache batch;

    /**
     * @param detokenizer turns generated ids into text (special tokens left out)
     * @param padId       id fed into finished rows until they are compacted away; never read back
     * @param maxBatch    most sequences in flight at once
     */
    public ContinuousDecoder(TransformerModel model, Function<int[], String> detokenizer, int padId, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be at least 1, got " + maxBatch);
        }
        this.model = model;
        this.detokenizer = detokenizer;
        this.padId = padId;
        this.maxBatch = maxBatch;
        this.manager = NDManager.newBaseManager(model.device());
    }

    /**
     * Adds a prefilled sequence, which joins the batch at the next {@link #step()}. Its first token is picked
     * here from {@code lastLogits [1, 1, vocab]}, the logits of its last prompt token (read at once; the caller
     * keeps the array). Takes ownership of {@code prefilled}, a batch-1 cache, and closes it once merged;
     * when admit throws, the cache stays the caller's.
     *
     * @param startNanos when its prefill began, so that the prefill time is reported
     * @throws IllegalStateException when {@link #isFull()}: step until a sequence finishes, then admit
     */
    public void admit(String id, KvCache prefilled, NDArray lastLogits, SamplingConfig config, long startNanos) {
        if (isFull()) {
            throw new IllegalStateException("the decoder holds its maximum of " + maxBatch
                    + " sequences: call step() until one finishes before admitting " + id);
        }
        if (admitted.containsKey(id)) {
            throw new IllegalArgumentException("a sequence with id " + id + " is already admitted");
        }
        if (prefilled.batchSize() != 1) {
            throw new IllegalArgumentException("a prefilled cache holds one sequence, got " + prefilled.batchSize());
        }
        DecodingSequence sequence = new DecodingSequence(config, startNanos);
        boolean done = sequence.add(DecodingSequence.pick(lastLogits, List.of(sequence))[0]);
        Entry entry = new Entry(id, sequence, prefilled);
        admitted.put(id, entry);
        if (done) {
            prefilled.close();
            entry.prefilled = null;
            finishedAtAdmission.add(new Finished(id, sequence.finish(detokenizer, System.nanoTime())));
        } else {
            joining.add(entry);
        }
    }

    /**
     * Merges newly admitted sequences, then runs one decode step for every active sequence.
     *
     * @return the sequences that finished, including those whose first token already stopped them
     */
    public List<Finished> step() {
        List<Finished> finished = new ArrayList<>(finishedAtAdmission);
        finishedAtAdmission.clear();
        long finishedRows = rows.stream().filter(e -> e == null).count();
        if (!joining.isEmpty() || finishedRows > 0 && finishedRows * 2 >= rows.size()) {
            recompose();
        }
        if (batch != null) {
            int[][] ids = new int[rows.size()][1];
            List<DecodingSequence> sequences = new ArrayList<>(rows.size());
            for (int b = 0; b < rows.size(); b++) {
                Entry entry = rows.get(b);
                ids[b][0] = entry == null ? padId : entry.sequence.lastToken();
                sequences.add(entry == null ? null : entry.sequence);
            }
            int[] next;
            try (NDManager step = manager.newSubManager()) {
                NDArray logits = model.forward(TokenBatch.continuing(ids, batch), batch, TransformerModel.Logits.LAST,
                        step);                                                  // [rows, 1, vocab]
                next = DecodingSequence.pick(logits, sequences);
            }
            long now = System.nanoTime();
            for (int b = 0; b < rows.size(); b++) {
                Entry entry = rows.get(b);
                if (entry != null && entry.sequence.add(next[b])) {
                    finished.add(new Finished(entry.id, entry.sequence.finish(detokenizer, now)));
                    rows.set(b, null);
                }
            }
            releaseIfIdle();
        }
        finished.forEach(f -> admitted.remove(f.id()));
        return finished;
    }

    /**
     * Drops a sequence at once (deadline or cancellation): its slot is free for the next admit, and its row is
     * fed padding until the next re-composition. The other sequences continue unchanged.
     *
     * @return whether {@code id} was in flight (false when unknown, already returned or cancelled)
     */
    public boolean cancel(String id) {
        Entry entry = admitted.remove(id);
        if (entry == null) {
            return false;
        }
        finishedAtAdmission.removeIf(f -> f.id().equals(id));
        if (joining.remove(entry)) {
            entry.prefilled.close();
            entry.prefilled = null;
        }
        int row = rows.indexOf(entry);
        if (row >= 0) {
            rows.set(row, null);
            releaseIfIdle();
        }
        return true;
    }

    /** Sequences admitted and neither returned by {@link #step()} nor cancelled. */
    public int active() {
        return admitted.size();
    }

    public boolean isFull() {
        return active() >= maxBatch;
    }

    /** Native bytes of KV held: the batched cache and the admitted caches not merged yet (for admission control). */
    public long kvBytes() {
        long bytes = batch == null ? 0 : bytes(batch);
        for (Entry entry : joining) {
            bytes += bytes(entry.prefilled);
        }
        return bytes;
    }

    private long bytes(KvCache cache) {
        ModelConfig c = model.config();
        // Keys and values of every layer, [batch, kvHeads, capacity, headDim] f32 each.
        return 2L * c.numLayers() * cache.batchSize() * c.numKvHeads() * cache.capacity() * c.headDim() * Float.BYTES;
    }

    /**
     * Builds a new batched cache from the unfinished rows followed by the joining sequences, with room for the
     * most tokens any of them may still generate, and closes the caches it replaces.
     */
    private void recompose() {
        List<Entry> live = new ArrayList<>();
        List<KvCache.Row> sources = new ArrayList<>();
        for (int b = 0; b < rows.size(); b++) {
            if (rows.get(b) != null) {
                live.add(rows.get(b));
                sources.add(new KvCache.Row(batch, b));
            }
        }
        for (Entry entry : joining) {
            live.add(entry);
            sources.add(new KvCache.Row(entry.prefilled, 0));
        }
        KvCache composed = KvCache.compose(sources,
                live.stream().mapToInt(e -> e.sequence.remainingTokens()).max().orElseThrow());
        if (batch != null) {
            batch.close();
        }
        for (Entry entry : joining) {
            entry.prefilled.close();
            entry.prefilled = null;
        }
        joining.clear();
        batch = composed;
        rows.clear();
        rows.addAll(live);
    }

    /** Frees the batched cache as soon as no row in it is still decoding. */
    private void releaseIfIdle() {
        if (rows.stream().allMatch(e -> e == null)) {
            batch.close();
            batch = null;
            rows.clear();
        }
    }

    @Override
    public void close() {
        if (batch != null) {
            batch.close();
            batch = null;
        }
        joining.forEach(e -> e.prefilled.close());
        joining.clear();
        rows.clear();
        admitted.clear();
        finishedAtAdmission.clear();
        manager.close();
    }
}
