package io.c2cstream.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import io.c2cstream.engine.checkpoint.HfCheckpoint;
import java.nio.file.Path;

/**
 * A decoder-only transformer (Llama, Qwen2, Qwen3, Gemma 3) loaded from a Hugging Face checkpoint, with the
 * KV cache as an explicit argument: every forward pass appends its tokens' keys and values to the cache and
 * attends over everything the cache holds, so callers can read and overwrite cache entries between passes.
 *
 * <p>All computation is f32. Weights live in the model's own native memory until {@link #close()}; each
 * forward pass frees its intermediates before returning. One-token steps of small models on the CPU run the same
 * arithmetic in Java ({@link DecodePath}, {@link VectorDecodeKernel}); everything else runs here.
 */
public final class TransformerModel implements AutoCloseable {
    /** Which positions of a forward pass get logits. */
    public enum Logits { ALL, LAST }

    private final ModelConfig config;
    private final NDManager manager;
    private final ModelParameters parameters;
    private ModelWeights weights;
    private final RotaryEmbedding globalRope;
    private final RotaryEmbedding localRope;
    private final NDArray rotateHalf;
    /** n·ε of the norms over hidden vectors and over heads (see {@link #normalize}). */
    private final NDArray hiddenNormEps;
    private final NDArray headNormEps;
    /** Computes one-token steps in place of the backend, or null (see {@link DecodePath}). */
    private final DecodeKernel decodeKernel;

    private TransformerModel(ModelConfig config, NDManager manager, ModelParameters parameters, ModelWeights weights,
                             DecodePath decodePath) {
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.weights = weights;
        this.globalRope = new RotaryEmbedding(config.headDim(), config.ropeTheta(), config.ropeScaling());
        this.localRope = new RotaryEmbedding(config.headDim(), config.ropeLocalTheta(), null);
        this.rotateHalf = RotaryEmbedding.rotateHalfMatrix(manager, config.headDim());
        this.hiddenNormEps = NativeArrays.scalar(manager, (float) (config.hiddenSize() * config.rmsNormEps()));
        this.headNormEps = NativeArrays.scalar(manager, (float) (config.headDim() * config.rmsNormEps()));
        this.decodeKernel = DecodeKernel.select(decodePath, config, weights, manager.getDevice());
    }

    /** Loads a checkpoint directory onto a device (CPU or a GPU), decoding where {@code decodePath} says. */
    public static TransformerModel load(Path dir, Device device, DecodePath decodePath) {
        NDManager manager = NDManager.newBaseManager(device);
        try (HfCheckpoint ckpt = HfCheckpoint.open(dir)) {
            ModelConfig config = ModelConfig.fromJson(ckpt.config());
            return new TransformerModel(config, manager, null, ModelWeights.load(ckpt, config, manager), decodePath);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public static TransformerModel load(Path dir, Device device) {
        return load(dir, device, DecodePath.AUTO);
    }

    public static TransformerModel load(Path dir) {
        return load(dir, Device.cpu());
    }

    /**
     * A model computed from trainable Hugging Face tensors: call {@link #rebuildWeights()} after each update
     * (inside a gradient collector while training, so that the fused arrays are differentiable). The
     * parameters stay the caller's. Every step runs on the backend, which tracks gradients.
     */
    public static TransformerModel trainable(ModelParameters parameters) {
        TransformerModel model = new TransformerModel(parameters.config(), NDManager.newBaseManager(parameters.device()),
                parameters, null, DecodePath.BACKEND);
        model.rebuildWeights();
        return model;
    }

    /**
     * Re-derives the fused arrays from the parameters. Arrays computed from the parameters belong to the
     * parameters' manager; those of the previous rebuild are freed first.
     */
    public void rebuildWeights() {
        if (parameters == null) {
            throw new IllegalStateException("only a trainable model rebuilds its weights");
        }
        parameters.freeDerived();
        weights = ModelWeights.fuse(config, "model.", parameters::get);
    }

    public ModelConfig config() {
        return config;
    }

    /** Where this model's one-token steps run: {@link DecodePath#JAVA} or {@link DecodePath#BACKEND}. */
    public DecodePath decodePath() {
        return decodeKernel != null ? DecodePath.JAVA : DecodePath.BACKEND;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** An empty cache for {@code batch} sequences with room for {@code capacity} columns before it grows. */
    public KvCache newCache(int batch, int capacity) {
        return new KvCache(config, manager, batch, capacity);
    }

    /**
     * Runs the tokens through the model on top of what the cache holds, appending their keys and values.
     *
     * @return logits {@code [batch, tokens or 1, vocab]}, owned by {@code out}
     */
    public NDArray forward(TokenBatch batch, KvCache cache, Logits which, NDManager out) {
        int b = batch.batchSize();
        int t = batch.tokens();
        if (cache.batchSize() != b) {
            throw new IllegalArgumentException("batch of " + b + " rows against a cache of " + cache.batchSize());
        }
        int start = cache.append(batch.padding(), batch.positions());
        if (t == 1 && decodeKernel != null && !cache.tracksGradients() && cache.storesFitByteBuffers()) {
            return NativeArrays.copyOf(out, decodeKernel.decode(batch, cache, start), new Shape(b, 1, config.vocabSize()));
        }
        try (NDManager step = manager.newSubManager()) {
            int groups = config.queriesPerKvHead();
            NDArray globalMask = AttentionMask.causal(step, cache, start, t, groups, 0);
            NDArray localMask = config.slidingWindow() > 0
                    ? AttentionMask.causal(step, cache, start, t, groups, config.slidingWindow()) : null;
            RotaryEmbedding.Tables global = globalRope.tables(step, batch.positions());
            RotaryEmbedding.Tables local = config.slidingWindow() > 0 ? localRope.tables(step, batch.positions()) : null;

            NDArray ids = NativeArrays.copyOf(step, batch.flatIds(), new Shape(b, t));
            NDArray x = ids.getNDArrayInternal().embedding(ids, weights.embedTokens(), SparseFormat.DENSE).get(0);
            if (config.gemmaNorms()) {
                x = NativeArrays.mul(x, (float) Math.sqrt(config.hiddenSize()));
            }
            for (int l = 0; l < config.numLayers(); l++) {
                boolean sliding = config.isSliding(l);
                x = layer(l, x, cache, start, step, sliding ? local : global, sliding ? localMask : globalMask);
            }
            if (which == Logits.LAST) {
                x = x.get(new NDIndex().addAllDim().addSliceDim(t - 1, t));
            }
            NDArray logits = normalize(x, hiddenNormEps).mul(weights.finalNorm()).matMul(weights.lmHead());
            if (config.finalLogitSoftcap() > 0) {
                logits = softcap(logits, config.finalLogitSoftcap());
            }
            logits.attach(out);
            return logits;
        }
    }

    /** One decoder layer over x {@code [B, T, hidden]}. */
    private NDArray layer(int l, NDArray x, KvCache cache, int start, NDManager step,
                          RotaryEmbedding.Tables rope, NDArray mask) {
        ModelWeights.Layer w = weights.layers()[l];
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int hq = config.numHeads();
        int hkv = config.numKvHeads();
        int d = config.headDim();
        int groups = config.queriesPerKvHead();

        // Attention. One projection yields queries, keys and values: [B, T, hq + 2·hkv, d].
        NDArray h = normalize(x, hiddenNormEps);
        NDArray qkv = project(h, w.qkvProj(), w.qkvBias()).reshape(b, t, hq + 2L * hkv, d);
        NDList qkAndV = qkv.split(new long[] {hq + hkv}, 2);
        NDArray qk = qkAndV.get(0);                                         // [B, T, hq + hkv, d]
        if (w.qkNorm() != null) {
            qk = normalize(qk, headNormEps).mul(w.qkNorm());
        }
        qk = rope.apply(qk, rotateHalf);
        NDList qAndK = qk.split(new long[] {hq}, 2);
        // Query heads sharing a KV head are stacked along the token axis: [B, hkv, groups·T, d].
        // With one token the layouts coincide and a reshape replaces transpose + reshape.
        NDArray q = t == 1 ? qAndK.get(0).reshape(b, hkv, groups, d)
                : qAndK.get(0).transpose(0, 2, 1, 3).reshape(b, hkv, groups * t, d);
        NDArray keysT = qAndK.get(1).transpose(0, 2, 3, 1);                 // [B, hkv, d, T]
        NDArray valuesT = qkAndV.get(1).transpose(0, 2, 3, 1);              // [B, hkv, d, T]
        cache.write(l, start, keysT, valuesT);

        NDArray scores = q.matMul(cache.attentionKeys(l));                 // [B, hkv, groups·T, width]
        if (config.attnLogitSoftcap() > 0) {
            scores = softcap(scores, config.attnLogitSoftcap());
        }
        NDArray attended = scores.add(mask).softmax(-1).matMul(cache.attentionValues(l));  // [B, hkv, groups·T, d]
        attended = t == 1 ? attended.reshape(b, 1, (long) hq * d)
                : attended.reshape(b, hq, t, d).transpose(0, 2, 1, 3).reshape(b, t, (long) hq * d);
        NDArray attnOut = project(attended, w.oProj(), w.oBias());
        if (w.postAttentionNorm() != null) {
            attnOut = normalize(attnOut, hiddenNormEps).mul(w.postAttentionNorm());
        }
        x = x.add(attnOut);

        // Gated feed-forward: act(gate) · up, projected down.
        NDList gateUp = normalize(x, hiddenNormEps).matMul(w.gateUpProj()).split(2, 2);
        NDArray gate = gateUp.get(0);
        NDArray activated = config.hiddenAct().equals("silu") ? gate.mul(gate.getNDArrayInternal().sigmoid())
                : geluTanh(gate);
        NDArray ffnOut = activated.mul(gateUp.get(1)).matMul(w.downProj());
        if (w.postFeedForwardNorm() != null) {
            ffnOut = normalize(ffnOut, hiddenNormEps).mul(w.postFeedForwardNorm());
        }
        return x.add(ffnOut);
    }

    /**
     * RMSNorm over the last axis of n elements without its weight, and divided by √n:
     * {@code x / √(Σx² + n·ε) = x / √(mean(x²) + ε) / √n}. The weight that follows carries both (folded into the
     * next projection, or applied by the caller; see {@link ModelWeights}).
     */
    private static NDArray normalize(NDArray x, NDArray nEps) {
        NDArray sumOfSquares = x.square().sum(new int[] {-1}, true);
        return x.div(sumOfSquares.add(nEps).sqrt());
    }

    /** {@code x·Wᵀ + b} with the weight stored transposed, {@code [in, out]}. */
    private static NDArray project(NDArray x, NDArray transposedWeight, NDArray bias) {
        NDArray y = x.matMul(transposedWeight);
        return bias == null ? y : y.add(bias);
    }

    /** Gemma's gelu_pytorch_tanh: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    private static NDArray geluTanh(NDArray x) {
        NDArray cubed = NativeArrays.mul(x.mul(x).mul(x), 0.044715f);
        NDArray inner = NativeArrays.mul(x.add(cubed), (float) Math.sqrt(2 / Math.PI));
        return NativeArrays.mul(x.mul(inner.tanh().add(1f)), 0.5f);
    }

    private static NDArray softcap(NDArray x, double cap) {
        return NativeArrays.mul(NativeArrays.div(x, (float) cap).tanh(), (float) cap);
    }

    @Override
    public void close() {
        if (parameters != null) {
            parameters.freeDerived();
        }
        manager.close();
    }
}
