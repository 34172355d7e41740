package io.c2cstream.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.c2cstream.engine.checkpoint.HfCheckpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A model's weights as native arrays, arranged for fewer, cheaper operations (each native call costs
 * microseconds, which dominates small models):
 * <ul>
 *   <li>q, k and v projections are one matrix; gate and up projections are one matrix;</li>
 *   <li>projections are kept as transposed views {@code [in, out]}, so a projection is one plain matmul
 *       {@code x·Wᵀ} (the backend's {@code linear} costs twice as much per call on small inputs);</li>
 *   <li>the weight of a norm that feeds a projection is folded into that projection's input columns,
 *       {@code W·(g⊙n) = (W·diag(g))·n}, so the input and pre-FFN norms are a bare normalisation with no
 *       weight of their own;</li>
 *   <li>norms compute {@code x/√(Σx² + n·ε)}, RMSNorm divided by √n (a sum costs half a mean on the backend),
 *       so every norm weight carries the factor √n of the vector length it normalises;</li>
 *   <li>the query scale is folded into q_norm where the family normalises queries, else into W_q;</li>
 *   <li>norm weights are the effective multiplier: Gemma's {@code (1 + w)} becomes a plain weight.</li>
 * </ul>
 * The arrangement is computed with array operations from the Hugging Face tensors ({@link ModelTensors}), so
 * the same code loads a checkpoint and, during training, keeps the fused arrays differentiable with respect
 * to trainable Hugging Face tensors.
 */
record ModelWeights(NDArray embedTokens, Layer[] layers, NDArray finalNorm, NDArray lmHead) {

    /**
     * One decoder layer. Only Gemma has {@code postAttentionNorm}/{@code postFeedForwardNorm}; the
     * Hugging Face "post_attention_layernorm" of Llama and Qwen is the pre-FFN norm, folded into gate/up.
     *
     * @param qkvProj    {@code [hidden, (heads + 2·kvHeads)·headDim]}, input norm folded in
     * @param qkvBias    {@code [(heads + 2·kvHeads)·headDim]} or null
     * @param qkNorm     {@code [heads + kvHeads, headDim]} per-head norm weights for queries then keys, or null
     * @param oProj      {@code [heads·headDim, hidden]}
     * @param oBias      {@code [hidden]} or null
     * @param gateUpProj {@code [hidden, 2·intermediate]}, gate columns first, pre-FFN norm folded in
     * @param downProj   {@code [intermediate, hidden]}
     */
    record Layer(NDArray qkvProj, NDArray qkvBias, NDArray qkNorm, NDArray oProj, NDArray oBias,
                 NDArray postAttentionNorm, NDArray postFeedForwardNorm, NDArray gateUpProj, NDArray downProj) {}

    /** The tensor-name prefix of a checkpoint: Gemma 3 multimodal checkpoints nest the text model. */
    static String prefix(HfCheckpoint ckpt) {
        return ckpt.has("language_model.model.embed_tokens.weight") ? "language_model.model." : "model.";
    }

    /**
     * Loads a checkpoint: every tensor is checked against {@link ModelTensors}, widened to f32, fused, and
     * the fused arrays end up in {@code manager}.
     */
    static ModelWeights load(HfCheckpoint ckpt, ModelConfig c, NDManager manager) {
        String prefix = prefix(ckpt);
        try (NDManager raw = manager.newSubManager()) {
            Map<String, NDArray> tensors = new HashMap<>();
            for (ModelTensors.Spec spec : ModelTensors.of(c, prefix)) {
                float[] values = ckpt.read(spec.name(), spec.shape());
                tensors.put(spec.name(), NativeArrays.copyOf(raw, values, new Shape(spec.shape())));
            }
            ModelWeights fused = fuse(c, prefix, tensors::get);
            fused.attach(manager);
            return fused;
        }
    }

    /** Builds the fused arrangement from Hugging Face tensors by name; results live with their inputs. */
    static ModelWeights fuse(ModelConfig c, String prefix, Function<String, NDArray> tensor) {
        Layer[] layers = new Layer[c.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = layer(c, prefix + "layers." + i + ".", tensor);
        }
        NDArray embed = tensor.apply(prefix + "embed_tokens.weight");
        NDArray lmHead = c.tieWordEmbeddings() ? embed : tensor.apply("lm_head.weight");
        return new ModelWeights(embed, layers, normWeight(c, tensor.apply(prefix + "norm.weight"), c.hiddenSize()),
                lmHead.transpose());
    }

    private static Layer layer(ModelConfig c, String p, Function<String, NDArray> tensor) {
        // Without a query norm the scale can sit in W_q (and b_q); with one it must follow the norm.
        float qScale = c.qkNorm() ? 1f : (float) c.queryScale();
        NDArray q = NativeArrays.mul(tensor.apply(p + "self_attn.q_proj.weight"), qScale);
        NDArray qkv = NDArrays.concat(new NDList(q, tensor.apply(p + "self_attn.k_proj.weight"),
                tensor.apply(p + "self_attn.v_proj.weight")), 0);
        qkv = qkv.mul(normWeight(c, tensor.apply(p + "input_layernorm.weight"), c.hiddenSize()));  // W·diag(g)
        NDArray qkvBias = null;
        if (c.attentionBias()) {
            qkvBias = NDArrays.concat(new NDList(NativeArrays.mul(tensor.apply(p + "self_attn.q_proj.bias"), qScale),
                    tensor.apply(p + "self_attn.k_proj.bias"), tensor.apply(p + "self_attn.v_proj.bias")), 0);
        }
        NDArray qkNorm = null;
        if (c.qkNorm()) {
            // One row per query head carrying the attention scale, then one row per key head.
            NDArray qNorm = normWeight(c, tensor.apply(p + "self_attn.q_norm.weight"), c.headDim());
            NDArray qn = NativeArrays.mul(qNorm, (float) c.queryScale());
            NDArray kn = normWeight(c, tensor.apply(p + "self_attn.k_norm.weight"), c.headDim());
            qkNorm = NDArrays.concat(new NDList(qn.expandDims(0).repeat(0, c.numHeads()),
                    kn.expandDims(0).repeat(0, c.numKvHeads())), 0);
        }
        NDArray oBias = c.outputProjectionBias() ? tensor.apply(p + "self_attn.o_proj.bias") : null;
        String preFfn = c.gemmaNorms() ? "pre_feedforward_layernorm.weight" : "post_attention_layernorm.weight";
        NDArray gateUp = NDArrays.concat(new NDList(tensor.apply(p + "mlp.gate_proj.weight"),
                tensor.apply(p + "mlp.up_proj.weight")), 0).mul(normWeight(c, tensor.apply(p + preFfn), c.hiddenSize()));
        NDArray postAttention = c.gemmaNorms()
                ? normWeight(c, tensor.apply(p + "post_attention_layernorm.weight"), c.hiddenSize()) : null;
        NDArray postFfn = c.gemmaNorms()
                ? normWeight(c, tensor.apply(p + "post_feedforward_layernorm.weight"), c.hiddenSize()) : null;
        return new Layer(qkv.transpose(), qkvBias, qkNorm, tensor.apply(p + "self_attn.o_proj.weight").transpose(), oBias,
                postAttention, postFfn, gateUp.transpose(), tensor.apply(p + "mlp.down_proj.weight").transpose());
    }

    /**
     * The multiplier after a norm over vectors of {@code length} elements: the effective weight (Gemma stores w and
     * multiplies by 1 + w, the other families by w) times √length, which the engine's norm leaves out.
     */
    private static NDArray normWeight(ModelConfig c, NDArray w, int length) {
        return NativeArrays.mul(c.gemmaNorms() ? w.add(1f) : w, (float) Math.sqrt(length));
    }

    /** Every distinct array (a tied head is the embedding itself). */
    private List<NDArray> arrays() {
        List<NDArray> all = new ArrayList<>(List.of(embedTokens, finalNorm));
        if (lmHead != embedTokens) {
            all.add(lmHead);
        }
        for (Layer l : layers) {
            for (NDArray a : new NDArray[] {l.qkvProj(), l.qkvBias(), l.qkNorm(), l.oProj(), l.oBias(),
                l.postAttentionNorm(), l.postFeedForwardNorm(), l.gateUpProj(), l.downProj()}) {
                if (a != null) {
                    all.add(a);
                }
            }
        }
        return all;
    }

    /** Moves every array to {@code manager} (a tied head is the embedding itself). */
    void attach(NDManager manager) {
        arrays().forEach(a -> a.attach(manager));
    }
}
