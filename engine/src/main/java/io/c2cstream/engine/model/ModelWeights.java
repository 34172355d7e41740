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
 * A model's weights as native arrays, arranged for fewer, larger operations (each native call costs
 * microseconds, which dominates small models):
 * <ul>
 *   <li>q, k and v projections are one matrix; gate and up projections are one matrix;</li>
 *   <li>the weight of a norm that feeds a projection is folded into that projection's input columns,
 *       {@code W·(g⊙n) = (W·diag(g))·n}, so the input and pre-FFN norms are a bare normalisation with no
 *       weight of their own;</li>
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
     * @param qkvProj    {@code [(heads + 2·kvHeads)·headDim, hidden]}, input norm folded in
     * @param qkvBias    {@code [(heads + 2·kvHeads)·headDim]} or null
     * @param qkNorm     {@code [heads + kvHeads, headDim]} per-head norm weights for queries then keys, or null
     * @param oBias      {@code [hidden]} or null
     * @param gateUpProj {@code [2·intermediate, hidden]}, gate rows first, pre-FFN norm folded in
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
        return new ModelWeights(embed, layers, effectiveNorm(c, tensor.apply(prefix + "norm.weight")), lmHead);
    }

    private static Layer layer(ModelConfig c, String p, Function<String, NDArray> tensor) {
        // Without a query norm the scale can sit in W_q (and b_q); with one it must follow the norm.
        float qScale = c.qkNorm() ? 1f : (float) c.queryScale();
        NDArray q = NativeArrays.mul(tensor.apply(p + "self_attn.q_proj.weight"), qScale);
        NDArray qkv = NDArrays.concat(new NDList(q, tensor.apply(p + "self_attn.k_proj.weight"),
                tensor.apply(p + "self_attn.v_proj.weight")), 0);
        qkv = qkv.mul(effectiveNorm(c, tensor.apply(p + "input_layernorm.weight")));  // W·diag(g)
        NDArray qkvBias = null;
        if (c.attentionBias()) {
            qkvBias = NDArrays.concat(new NDList(NativeArrays.mul(tensor.apply(p + "self_attn.q_proj.bias"), qScale),
                    tensor.apply(p + "self_attn.k_proj.bias"), tensor.apply(p + "self_attn.v_proj.bias")), 0);
        }
        NDArray qkNorm = null;
        if (c.qkNorm()) {
            // One row per query head carrying the attention scale, then one row per key head.
            NDArray qNorm = effectiveNorm(c, tensor.apply(p + "self_attn.q_norm.weight"));
            NDArray qn = NativeArrays.mul(qNorm, (float) c.queryScale());
            NDArray kn = effectiveNorm(c, tensor.apply(p + "self_attn.k_norm.weight"));
            qkNorm = NDArrays.concat(new NDList(qn.expandDims(0).repeat(0, c.numHeads()),
                    kn.expandDims(0).repeat(0, c.numKvHeads())), 0);
        }
        NDArray oBias = c.outputProjectionBias() ? tensor.apply(p + "self_attn.o_proj.bias") : null;
        String preFfn = c.gemmaNorms() ? "pre_feedforward_layernorm.weight" : "post_attention_layernorm.weight";
        NDArray gateUp = NDArrays.concat(new NDList(tensor.apply(p + "mlp.gate_proj.weight"),
                tensor.apply(p + "mlp.up_proj.weight")), 0).mul(effectiveNorm(c, tensor.apply(p + preFfn)));
        NDArray postAttention = c.gemmaNorms() ? effectiveNorm(c, tensor.apply(p + "post_attention_layernorm.weight")) : null;
        NDArray postFfn = c.gemmaNorms() ? effectiveNorm(c, tensor.apply(p + "post_feedforward_layernorm.weight")) : null;
        return new Layer(qkv, qkvBias, qkNorm, tensor.apply(p + "self_attn.o_proj.weight"), oBias, postAttention, postFfn,
                gateUp, tensor.apply(p + "mlp.down_proj.weight"));
    }

    /** Gemma stores w and multiplies by (1 + w); the other families multiply by w. */
    private static NDArray effectiveNorm(ModelConfig c, NDArray w) {
        return c.gemmaNorms() ? w.add(1f) : w;
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
