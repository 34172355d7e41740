package io.c2cstream.engine.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.TokenBatch;
import io.c2cstream.engine.model.TransformerModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Autoregressive generation for a batch of prompts: one batched prefill, then one batched decode step per
 * token until every sequence has hit a stop token or its token limit. Each sequence samples from its own
 * random stream, so a sequence generates the same tokens in a batch as alone.
 */
public final class Generator {
    private final TransformerModel model;
    private final Function<int[], String> detokenizer;
    private final int padId;

    /**
     * @param detokenizer turns generated ids into text (special tokens left out)
     * @param padId       id fed into left-padding slots; never attended to, so any valid id works
     */
    public Generator(TransformerModel model, Function<int[], String> detokenizer, int padId) {
        this.model = model;
        this.detokenizer = detokenizer;
        this.padId = padId;
    }

    public Generation generate(int[] prompt, SamplingConfig config) {
        return generate(List.of(prompt), config).get(0);
    }

    public List<Generation> generate(List<int[]> prompts, SamplingConfig config) {
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        if (longest == 0) {
            throw new IllegalArgumentException("every prompt needs at least one token (a BOS token if nothing else)");
        }
        try (NDManager out = NDManager.newBaseManager(model.device());
             KvCache cache = model.newCache(prompts.size(), longest + config.maxNewTokens())) {
            long start = System.nanoTime();
            NDArray logits = model.forward(TokenBatch.leftPadded(prompts, padId), cache, TransformerModel.Logits.LAST, out);
            return decode(cache, logits, config, start);
        }
    }

    /**
     * Continues every sequence of a cache whose prompt has been prefilled (for example a fused cache):
     * {@code lastLogits [batch, 1, vocab]} are the logits of the final prompt token.
     *
     * @param startNanos when the prefill began, so that the prefill time is reported
     */
    public List<Generation> decode(KvCache cache, NDArray lastLogits, SamplingConfig config, long startNanos) {
        int batch = cache.batchSize();
        List<DecodingSequence> sequences = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            sequences.add(new DecodingSequence(config, startNanos));
        }
        cache.ensureCapacity(cache.length() + config.maxNewTokens());
        int[] next = DecodingSequence.pick(lastLogits, sequences);
        try (NDManager steps = NDManager.newBaseManager(model.device())) {
            while (true) {
                boolean allDone = true;
                for (int b = 0; b < batch; b++) {
                    DecodingSequence sequence = sequences.get(b);
                    allDone &= sequence.isDone() || sequence.add(next[b]);
                }
                if (allDone) {
                    break;
                }
                int[][] ids = new int[batch][1];
                for (int b = 0; b < batch; b++) {
                    ids[b][0] = sequences.get(b).isDone() ? padId : sequences.get(b).lastToken();
                }
                try (NDManager step = steps.newSubManager()) {
                    next = DecodingSequence.pick(
                            model.forward(TokenBatch.continuing(ids, cache), cache, TransformerModel.Logits.LAST, step),
                            sequences);
                }
            }
        }
        long end = System.nanoTime();
        List<Generation> results = new ArrayList<>(batch);
        for (DecodingSequence sequence : sequences) {
            results.add(sequence.finish(detokenizer, end));
        }
        return results;
    }
}
