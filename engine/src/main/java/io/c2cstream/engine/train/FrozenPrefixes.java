package io.c2cstream.engine.train;

import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.engine.model.TokenBatch;
import io.c2cstream.engine.model.TransformerModel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The receiver's and the sharer's cache entries of each example's frozen prefix: its sections up to and
 * including the first fused one. Both models are frozen and nothing is fused before that section is, so
 * these entries are the same in every step of a run; computed once, they replace both prefills of the prefix
 * in every step (a fifth of a zoo fuser step). They come from batched forward passes over other rows than a
 * step's, so they may differ from the step's own pass by float rounding, never more.
 */
final class FrozenPrefixes implements AutoCloseable {
    /** Per prefix section, each model's entries of the example's tokens in it. */
    private record Entry(List<KvCache.Block> receiver, List<KvCache.Block> sharer) {}

    private final NDManager manager;
    private final Map<TrainingExample, Entry> entries = new IdentityHashMap<>();

    private FrozenPrefixes(NDManager manager) {
        this.manager = manager;
    }

    /** Sections of an example's frozen prefix: through its first fused section, none when nothing is fused. */
    static int prefixSections(TrainingExample example) {
        List<TrainingExample.Section> sections = example.sections();
        for (int s = 0; s < sections.size(); s++) {
            if (sections.get(s).fused()) {
                return s + 1;
            }
        }
        return 0;
    }

    /** Native memory the prefixes of {@code examples} take: both models' keys and values, f32. */
    static long bytes(List<TrainingExample> examples, ModelConfig receiver, ModelConfig sharer) {
        long perToken = 2L * Float.BYTES * ((long) receiver.numLayers() * receiver.numKvHeads() * receiver.headDim()
                + (long) sharer.numLayers() * sharer.numKvHeads() * sharer.headDim());
        long tokens = 0;
        for (TrainingExample e : examples) {
            int k = prefixSections(e);
            tokens += k == 0 ? 0 : e.sections().get(k - 1).to();
        }
        return tokens * perToken;
    }

    /**
     * Runs the prefixes of {@code examples} through both models, {@code batchSize} examples of one section layout
     * at a time, and keeps each example's entries.
     */
    static FrozenPrefixes compute(List<TrainingExample> examples, TransformerModel receiver, TransformerModel sharer,
                                  int receiverPad, int sharerPad, int batchSize) {
        Map<List<Boolean>, List<TrainingExample>> byLayout = new LinkedHashMap<>();
        for (TrainingExample e : examples) {
            if (prefixSections(e) > 0) {
                byLayout.computeIfAbsent(e.sections().stream().map(TrainingExample.Section::fused).toList(),
                        layout -> new ArrayList<>()).add(e);
            }
        }
        FrozenPrefixes prefixes = new FrozenPrefixes(NDManager.newBaseManager(receiver.device()));
        try {
            for (List<TrainingExample> group : byLayout.values()) {
                for (int i = 0; i < group.size(); i += batchSize) {
                    prefixes.add(group.subList(i, Math.min(group.size(), i + batchSize)), receiver, sharer,
                            receiverPad, sharerPad);
                }
            }
        } catch (RuntimeException e) {
            prefixes.close();
            throw e;
        }
        return prefixes;
    }

    private void add(List<TrainingExample> chunk, TransformerModel receiver, TransformerModel sharer, int receiverPad,
                     int sharerPad) {
        TrainingBatch batch = TrainingBatch.collate(chunk, receiverPad, sharerPad);
        int sections = prefixSections(chunk.get(0));
        int columns = batch.receiver().subList(0, sections).stream().mapToInt(TokenBatch::tokens).sum();
        List<Entry> added = new ArrayList<>();
        for (int b = 0; b < chunk.size(); b++) {
            added.add(new Entry(new ArrayList<>(), new ArrayList<>()));
        }
        try (NDManager scope = NDManager.newBaseManager(receiver.device());
             KvCache receiverCache = receiver.newCache(chunk.size(), columns);
             KvCache sharerCache = sharer.newCache(chunk.size(), columns)) {
            int from = 0;
            for (int s = 0; s < sections; s++) {
                receiver.forward(batch.receiver().get(s), receiverCache, TransformerModel.Logits.LAST, scope);
                sharer.forward(batch.sharer().get(s), sharerCache, TransformerModel.Logits.LAST, scope);
                for (int b = 0; b < chunk.size(); b++) {
                    int to = from + chunk.get(b).sections().get(s).length();
                    added.get(b).receiver().add(receiverCache.copyBlock(b, from, to, manager));
                    added.get(b).sharer().add(sharerCache.copyBlock(b, from, to, manager));
                }
                from += batch.receiver().get(s).tokens();
            }
        }
        for (int b = 0; b < chunk.size(); b++) {
            entries.put(chunk.get(b), added.get(b));
        }
    }

    /** Frozen sections of a micro-batch: its prefix sections when every example's entries are here, else 0. */
    int sections(List<TrainingExample> batch) {
        for (TrainingExample e : batch) {
            if (!entries.containsKey(e)) {
                return 0;
            }
        }
        return prefixSections(batch.get(0));
    }

    /** The receiver's entries of section {@code section} for each row of a micro-batch. */
    List<KvCache.Block> receiverBlocks(List<TrainingExample> batch, int section) {
        return batch.stream().map(e -> entries.get(e).receiver().get(section)).toList();
    }

    /** The sharer's entries of section {@code section} for each row of a micro-batch. */
    List<KvCache.Block> sharerBlocks(List<TrainingExample> batch, int section) {
        return batch.stream().map(e -> entries.get(e).sharer().get(section)).toList();
    }

    @Override
    public void close() {
        manager.close();
    }
}
