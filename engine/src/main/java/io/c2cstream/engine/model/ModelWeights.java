package io.c2cstream.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.c2cstream.engine.checkpoint.HfCheckpoint;

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

    static ModelWeights load(HfCheckpoint ckpt, ModelConfig c, NDManager manager) {
        String prefix = ckpt.has("language_model.model.embed_tokens.weight") ? "language_model.model." : "model.";
        Loader in = new Loader(ckpt, c, manager);
        long h = c.hiddenSize();
        NDArray embed = in.matrix(prefix + "embed_tokens.weight", c.vocabSize(), h, 1f);
        Layer[] layers = new Layer[c.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = in.layer(prefix + "layers." + i + ".");
        }
        NDArray norm = in.norm(prefix + "norm.weight", h);
        NDArray lmHead = c.tieWordEmbeddings() ? embed : in.matrix("lm_head.weight", c.vocabSize(), h, 1f);
        return new ModelWeights(embed, layers, norm, lmHead);
    }

    /** Reads tensors by Hugging Face name, checks shapes against the config, and builds the fused arrays. */
    private record Loader(HfCheckpoint ckpt, ModelConfig c, NDManager manager) {

        Layer layer(String p) {
            int d = c.headDim();
            long h = c.hiddenSize();
            long qRows = (long) c.numHeads() * d;
            long kvRows = (long) c.numKvHeads() * d;
            // Without a query norm the scale can sit in W_q (and b_q); with one it must follow the norm.
            float qScale = c.qkNorm() ? 1f : (float) c.queryScale();
            float[] q = scaled(ckpt.read(p + "self_attn.q_proj.weight", qRows, h), qScale);
            float[] k = ckpt.read(p + "self_attn.k_proj.weight", kvRows, h);
            float[] v = ckpt.read(p + "self_attn.v_proj.weight", kvRows, h);
            float[] inputNorm = normWeight(p + "input_layernorm.weight", h);
            NDArray qkv = manager.create(scaleColumns(concat(q, k, v), inputNorm), new Shape(qRows + 2 * kvRows, h));
            NDArray qkvBias = null;
            if (c.attentionBias()) {
                qkvBias = manager.create(concat(scaled(ckpt.read(p + "self_attn.q_proj.bias", qRows), qScale),
                        ckpt.read(p + "self_attn.k_proj.bias", kvRows),
                        ckpt.read(p + "self_attn.v_proj.bias", kvRows)));
            }
            NDArray qkNorm = c.qkNorm() ? qkNorm(p) : null;
            NDArray o = matrix(p + "self_attn.o_proj.weight", h, qRows, 1f);
            NDArray oBias = c.outputProjectionBias() ? manager.create(ckpt.read(p + "self_attn.o_proj.bias", h)) : null;
            long inter = c.intermediateSize();
            float[] gate = ckpt.read(p + "mlp.gate_proj.weight", inter, h);
            float[] up = ckpt.read(p + "mlp.up_proj.weight", inter, h);
            float[] preFfnNorm = normWeight(p + (c.gemmaNorms() ? "pre_feedforward_layernorm.weight"
                    : "post_attention_layernorm.weight"), h);
            NDArray gateUp = manager.create(scaleColumns(concat(gate, up), preFfnNorm), new Shape(2 * inter, h));
            NDArray down = matrix(p + "mlp.down_proj.weight", h, inter, 1f);
            if (c.gemmaNorms()) {
                return new Layer(qkv, qkvBias, qkNorm, o, oBias, norm(p + "post_attention_layernorm.weight", h),
                        norm(p + "post_feedforward_layernorm.weight", h), gateUp, down);
            }
            return new Layer(qkv, qkvBias, qkNorm, o, oBias, null, null, gateUp, down);
        }

        /** Query-norm rows (one per query head) carry the attention scale; key-norm rows follow. */
        private NDArray qkNorm(String p) {
            int d = c.headDim();
            float[] qn = effectiveNorm(ckpt.read(p + "self_attn.q_norm.weight", d));
            float[] kn = effectiveNorm(ckpt.read(p + "self_attn.k_norm.weight", d));
            int rows = c.numHeads() + c.numKvHeads();
            float[] out = new float[rows * d];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < d; i++) {
                    out[r * d + i] = r < c.numHeads() ? (float) (qn[i] * c.queryScale()) : kn[i];
                }
            }
            return manager.create(out, new Shape(rows, d));
        }

        NDArray norm(String name, long size) {
            return manager.create(normWeight(name, size));
        }

        private float[] normWeight(String name, long size) {
            return effectiveNorm(ckpt.read(name, size));
        }

        /** W·diag(g): multiplies column j of a row-major matrix by g[j]. */
        private static float[] scaleColumns(float[] matrix, float[] g) {
            for (int i = 0; i < matrix.length; i++) {
                matrix[i] *= g[i % g.length];
            }
            return matrix;
        }

        /** Gemma stores w and multiplies by (1 + w); the other families multiply by w. */
        private float[] effectiveNorm(float[] w) {
            if (c.gemmaNorms()) {
                for (int i = 0; i < w.length; i++) {
                    w[i] = 1f + w[i];
                }
            }
            return w;
        }

        NDArray matrix(String name, long rows, long cols, float scale) {
            return manager.create(scaled(ckpt.read(name, rows, cols), scale), new Shape(rows, cols));
        }

        private static float[] scaled(float[] w, float scale) {
            if (scale != 1f) {
                for (int i = 0; i < w.length; i++) {
                    w[i] *= scale;
                }
            }
            return w;
        }

        private static float[] concat(float[]... parts) {
            int n = 0;
            for (float[] p : parts) {
                n += p.length;
            }
            float[] out = new float[n];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, out, at, p.length);
                at += p.length;
            }
            return out;
        }
    }
}
