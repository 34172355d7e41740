package io.c2cstream.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.fuser.C2cProjector;
import io.c2cstream.engine.fuser.LayerSource;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.NativeArrays;
import io.c2cstream.engine.model.TokenBatch;
import io.c2cstream.engine.model.TransformerModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains a fuser's projectors with both models frozen (method §5): per micro-batch the receiver and the
 * sharer prefill the instruction, the projectors fuse it with stochastic gates, and the receiver's
 * cross-entropy on the reply flows back through the frozen receiver into the fused cache and the
 * projectors. Updates are AdamW with warm-up and linear decay, global-norm clipping and gradient
 * accumulation; the gate temperature is annealed after every optimizer step.
 */
public final class FuserTrainer implements AutoCloseable {
    /** What happened in one optimizer step. */
    public record StepReport(int step, int totalSteps, double loss, double learningRate, double temperature,
                             double gradNorm, int tokens, double seconds) {}

    private final TransformerModel receiver;
    private final TransformerModel sharer;
    private final C2cFuser fuser;
    private final int receiverPad;
    private final int sharerPad;
    private final List<NDArray> parameters = new ArrayList<>();
    private final AdamW optimizer;
    private FrozenPrefixes prefixes;

    public FuserTrainer(TransformerModel receiver, TransformerModel sharer, C2cFuser fuser, int receiverPad,
                        int sharerPad, double weightDecay) {
        this.receiver = receiver;
        this.sharer = sharer;
        this.fuser = fuser;
        this.receiverPad = receiverPad;
        this.sharerPad = sharerPad;
        for (C2cProjector p : fuser.projectors()) {
            p.tensors().forEach((name, array) -> {
                if (!name.equals("gate_temperature")) {
                    parameters.add(array);
                }
            });
        }
        Gradients.require(parameters);
        this.optimizer = AdamW.withDefaults(parameters, weightDecay);
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /**
     * Computes the frozen prefixes of {@code examples} once (see {@link FrozenPrefixes}): every later micro-batch
     * made of them replays those entries instead of running both models over its prefix. They take
     * {@link FrozenPrefixes#bytes} of native memory until {@link #close()}.
     */
    public void freezePrefixes(List<TrainingExample> examples, int batchSize) {
        FrozenPrefixes computed = FrozenPrefixes.compute(examples, receiver, sharer, receiverPad, sharerPad, batchSize);
        if (prefixes != null) {
            prefixes.close();
        }
        prefixes = computed;
    }

    /**
     * Runs forward and backward for one micro-batch, accumulating gradients scaled by {@code 1/accumulation};
     * returns the micro-batch's mean loss per supervised token. {@code gateNoise} draws the Gumbel samples
     * (seed it per micro-batch to make a run reproducible and resumable).
     */
    public double accumulate(List<TrainingExample> examples, double temperature, int accumulation, Random gateNoise) {
        TrainingBatch batch = TrainingBatch.collate(examples, receiverPad, sharerPad);
        try (NDManager scope = NDManager.newBaseManager(receiver.device());
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = loss(examples, batch, scope, temperature, gateNoise);
            collector.backward(NativeArrays.div(loss, accumulation));
            return loss.getFloat();
        }
    }

    /** Mean loss per supervised token with inference gates and no dropout; no gradients. */
    public double evaluate(List<TrainingExample> examples) {
        TrainingBatch batch = TrainingBatch.collate(examples, receiverPad, sharerPad);
        try (NDManager scope = NDManager.newBaseManager(receiver.device())) {
            return loss(examples, batch, scope, 0, null).getFloat();
        }
    }

    /**
     * Clips, applies one AdamW update at {@code learningRate}, zeroes the gradients and stores the new
     * temperature in every projector's buffer; returns the gradient norm before clipping. A non-finite norm
     * (a diverging step: an overflow somewhere in the forward or backward pass) skips the update rather than
     * writing NaN into the projectors.
     */
    public double step(double learningRate, double maxGradNorm, double nextTemperature) {
        double norm = Gradients.clipGlobalNorm(parameters, maxGradNorm);
        if (Double.isFinite(norm)) {
            optimizer.step(learningRate);
        }
        Gradients.zero(parameters);
        for (C2cProjector p : fuser.projectors()) {
            p.tensors().get("gate_temperature").set(new float[] {(float) nextTemperature});
        }
        return norm;
    }

    /**
     * The reply loss (method §4.3 in training): the sections run in order through the receiver and, except
     * the last, through the sharer; each fused section is fused right after both have processed it, so later
     * sections attend to fused entries; the sections of a frozen prefix replay their entries instead.
     * {@code gateNoise} null means inference gates and no dropout.
     */
    private NDArray loss(List<TrainingExample> examples, TrainingBatch batch, NDManager scope, double temperature,
                         Random gateNoise) {
        int rows = batch.targets().length;
        int last = batch.receiver().size() - 1;
        int columns = batch.receiver().stream().mapToInt(TokenBatch::tokens).sum();
        int frozen = prefixes == null ? 0 : prefixes.sections(examples);
        try (KvCache cache = receiver.newCache(rows, columns);
             KvCache sharerCache = sharer.newCache(rows, columns - batch.receiver().get(last).tokens())) {
            cache.trackGradients();
            int from = 0;
            for (int s = 0; s < last; s++) {
                if (s < frozen) {
                    cache.appendBlocks(prefixes.receiverBlocks(examples, s));
                    sharerCache.appendBlocks(prefixes.sharerBlocks(examples, s));
                } else {
                    receiver.forward(batch.receiver().get(s), cache, TransformerModel.Logits.LAST, scope);
                    sharer.forward(batch.sharer().get(s), sharerCache, TransformerModel.Logits.LAST, scope);
                }
                int to = from + batch.receiver().get(s).tokens();
                if (batch.fused()[s]) {
                    fuse(cache, sharerCache, from, to, scope, temperature, gateNoise);
                }
                from = to;
            }
            NDArray logits = receiver.forward(batch.receiver().get(last), cache, TransformerModel.Logits.ALL, scope);
            return CrossEntropy.mean(logits, batch.targets(), scope);
        }
    }

    private void fuse(KvCache cache, KvCache sharerCache, int from, int to, NDManager scope, double temperature,
                      Random gateNoise) {
        for (int t = 0; t < fuser.layerMap().receiverLayers(); t++) {
            List<LayerSource> sources = fuser.layerMap().sources(t);
            if (sources.isEmpty()) {
                continue;
            }
            C2cProjector p = fuser.projectors().get(sources.get(0).projectorIndex());
            int s = sources.get(0).sharerLayer();
            C2cProjector.Kv own = new C2cProjector.Kv(cache.readKeys(t, from, to, scope), cache.readValues(t, from, to, scope));
            C2cProjector.Kv theirs = new C2cProjector.Kv(sharerCache.readKeys(s, from, to, scope),
                    sharerCache.readValues(s, from, to, scope));
            C2cProjector.Kv fused = gateNoise != null ? p.fuseTraining(theirs, own, temperature, gateNoise)
                    : p.fuse(theirs, own);
            cache.overwrite(t, from, fused.keys(), fused.values());
        }
    }

    @Override
    public void close() {
        if (prefixes != null) {
            prefixes.close();
        }
        for (NDArray p : parameters) {
            p.setRequiresGradient(false);
        }
        optimizer.close();
    }
}
