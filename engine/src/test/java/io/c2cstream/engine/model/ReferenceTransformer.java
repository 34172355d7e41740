package io.c2cstream.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.c2cstream.engine.checkpoint.HfCheckpoint;
import java.nio.file.Path;

/**
 * A deliberately naive forward pass, independent of {@link TransformerModel}, written to follow the Hugging Face
 * transformers modeling code line by line (LlamaForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM,
 * Gemma3ForCausalLM). It exists only to check the optimised engine against something obviously right.
 *
 * <p>In the style of llama2.c: plain loops over plain arrays, one sequence, the whole prompt at positions
 * {@code 0..T-1}, no cache, no fusing, no folding. Weights are read by their Hugging Face names and used as
 * stored; arithmetic is in double except where Hugging Face deliberately works in f32 (RoPE inverse
 * frequencies and angles), which is mirrored so that positions produce the same angles. Nothing here calls
 * main-code maths: only {@link HfCheckpoint} to read tensors, and Jackson for config.json.
 */
final class ReferenceTransformer {

    // ----------------------------------------------------------------------------------------------------------
    // Config: the keys each Hugging Face config class reads, with that class's defaults.

    private final String modelType;      // "llama", "qwen2", "qwen3" or "gemma3_text"
    private final boolean gemma;
    private final int dim;               // hidden_size
    private final int hiddenDim;         // intermediate_size
    private final int nLayers;
    private final int nHeads;
    private final int nKvHeads;
    private final int headSize;          // head_dim
    private final int vocabSize;
    private final double eps;
    private final boolean qkvBias;       // q_proj, k_proj, v_proj carry biases
    private final boolean oBias;         // o_proj carries a bias
    private final boolean qkNorm;        // q_norm and k_norm per head (Qwen3, Gemma 3)
    private final boolean tied;          // lm_head is embed_tokens
    private final String act;            // "silu" or "gelu_pytorch_tanh"
    private final double scaling;        // multiplier of q·k
    private final double attnSoftcap;    // 0: none
    private final double finalSoftcap;   // 0: none
    private final int slidingWindow;     // 0: none
    private final boolean[] slidingLayer;
    private final float[] globalInvFreq; // [headSize/2]
    private final float[] localInvFreq;  // [headSize/2], Gemma 3 sliding layers

    // ----------------------------------------------------------------------------------------------------------
    // Weights, row-major as stored: a Linear weight is [out, in].

    private final float[] embed;         // [vocab, dim]
    private final float[][] inputNorm;   // [layer][dim]
    private final float[][] wq;          // [layer][nHeads*headSize, dim]
    private final float[][] wk;          // [layer][nKvHeads*headSize, dim]
    private final float[][] wv;          // [layer][nKvHeads*headSize, dim]
    private final float[][] bq;          // [layer][nHeads*headSize] or null
    private final float[][] bk;          // [layer][nKvHeads*headSize] or null
    private final float[][] bv;          // [layer][nKvHeads*headSize] or null
    private final float[][] qNorm;       // [layer][headSize] or null
    private final float[][] kNorm;       // [layer][headSize] or null
    private final float[][] wo;          // [layer][dim, nHeads*headSize]
    private final float[][] bo;          // [layer][dim] or null
    private final float[][] postAttnNorm; // [layer][dim]: Llama/Qwen's pre-MLP norm; Gemma's norm of attn output
    private final float[][] preFfnNorm;  // [layer][dim], Gemma only
    private final float[][] postFfnNorm; // [layer][dim], Gemma only
    private final float[][] wGate;       // [layer][hiddenDim, dim]
    private final float[][] wUp;         // [layer][hiddenDim, dim]
    private final float[][] wDown;       // [layer][dim, hiddenDim]
    private final float[] finalNorm;     // [dim]
    private final float[] lmHead;        // [vocab, dim]

    private ReferenceTransformer(HfCheckpoint ckpt) {
        JsonNode root = ckpt.config();
        String type = root.path("model_type").asText();
        // Gemma3ForConditionalGeneration's config wraps the text model's config.
        JsonNode c = type.equals("gemma3") ? root.path("text_config") : root;
        modelType = type.equals("gemma3") ? "gemma3_text" : type;
        gemma = modelType.equals("gemma3_text");
        if (!gemma && !modelType.equals("llama") && !modelType.equals("qwen2") && !modelType.equals("qwen3")) {
            throw new IllegalArgumentException("reference has no " + modelType);
        }

        dim = c.get("hidden_size").asInt();
        hiddenDim = c.get("intermediate_size").asInt();
        nLayers = c.get("num_hidden_layers").asInt();
        nHeads = c.get("num_attention_heads").asInt();
        nKvHeads = c.hasNonNull("num_key_value_heads") ? c.get("num_key_value_heads").asInt() : nHeads;
        headSize = c.hasNonNull("head_dim") ? c.get("head_dim").asInt() : dim / nHeads;
        vocabSize = c.get("vocab_size").asInt();
        eps = c.path("rms_norm_eps").asDouble(1e-6);
        boolean attentionBias = c.path("attention_bias").asBoolean(false);
        // Qwen2Attention: q/k/v bias=True, o_proj bias=False. The others: all four bias=config.attention_bias.
        qkvBias = modelType.equals("qwen2") || attentionBias;
        oBias = !modelType.equals("qwen2") && attentionBias;
        qkNorm = modelType.equals("qwen3") || gemma;
        tied = c.path("tie_word_embeddings").asBoolean(gemma);
        act = gemma ? c.path("hidden_activation").asText("gelu_pytorch_tanh") : c.path("hidden_act").asText("silu");
        // Gemma3Attention: self.scaling = config.query_pre_attn_scalar**-0.5; others: head_dim**-0.5.
        scaling = Math.pow(gemma ? c.path("query_pre_attn_scalar").asDouble(256) : headSize, -0.5);
        attnSoftcap = c.path("attn_logit_softcapping").asDouble(0);
        finalSoftcap = c.path("final_logit_softcapping").asDouble(0);

        slidingLayer = new boolean[nLayers];
        if (gemma) {
            slidingWindow = c.path("sliding_window").asInt(4096);
            int pattern = c.path("sliding_window_pattern").asInt(6);
            for (int l = 0; l < nLayers; l++) {
                // Gemma3TextConfig: layer_types, else "sliding_attention" if (i + 1) % pattern else "full_attention".
                slidingLayer[l] = c.has("layer_types")
                        ? c.get("layer_types").get(l).asText().equals("sliding_attention")
                        : (l + 1) % pattern != 0;
            }
        } else {
            slidingWindow = 0;
        }
        double theta = c.path("rope_theta").asDouble(gemma ? 1_000_000.0 : 10_000.0);
        globalInvFreq = ropeInvFreq(theta, headSize, c.path("rope_scaling"));
        // Gemma3: the local rotary embedding is a copy of the config with rope_theta = rope_local_base_freq
        // and rope_scaling = {"rope_type": "default"}.
        localInvFreq = ropeInvFreq(c.path("rope_local_base_freq").asDouble(10_000.0), headSize, null);

        String p = ckpt.has("language_model.model.embed_tokens.weight") ? "language_model.model." : "model.";
        int qDim = nHeads * headSize;
        int kvDim = nKvHeads * headSize;
        embed = ckpt.read(p + "embed_tokens.weight", vocabSize, dim);
        inputNorm = new float[nLayers][];
        wq = new float[nLayers][];
        wk = new float[nLayers][];
        wv = new float[nLayers][];
        bq = new float[nLayers][];
        bk = new float[nLayers][];
        bv = new float[nLayers][];
        qNorm = new float[nLayers][];
        kNorm = new float[nLayers][];
        wo = new float[nLayers][];
        bo = new float[nLayers][];
        postAttnNorm = new float[nLayers][];
        preFfnNorm = new float[nLayers][];
        postFfnNorm = new float[nLayers][];
        wGate = new float[nLayers][];
        wUp = new float[nLayers][];
        wDown = new float[nLayers][];
        for (int l = 0; l < nLayers; l++) {
            String lp = p + "layers." + l + ".";
            inputNorm[l] = ckpt.read(lp + "input_layernorm.weight", dim);
            wq[l] = ckpt.read(lp + "self_attn.q_proj.weight", qDim, dim);
            wk[l] = ckpt.read(lp + "self_attn.k_proj.weight", kvDim, dim);
            wv[l] = ckpt.read(lp + "self_attn.v_proj.weight", kvDim, dim);
            if (qkvBias) {
                bq[l] = ckpt.read(lp + "self_attn.q_proj.bias", qDim);
                bk[l] = ckpt.read(lp + "self_attn.k_proj.bias", kvDim);
                bv[l] = ckpt.read(lp + "self_attn.v_proj.bias", kvDim);
            }
            if (qkNorm) {
                qNorm[l] = ckpt.read(lp + "self_attn.q_norm.weight", headSize);
                kNorm[l] = ckpt.read(lp + "self_attn.k_norm.weight", headSize);
            }
            wo[l] = ckpt.read(lp + "self_attn.o_proj.weight", dim, qDim);
            if (oBias) {
                bo[l] = ckpt.read(lp + "self_attn.o_proj.bias", dim);
            }
            postAttnNorm[l] = ckpt.read(lp + "post_attention_layernorm.weight", dim);
            if (gemma) {
                preFfnNorm[l] = ckpt.read(lp + "pre_feedforward_layernorm.weight", dim);
                postFfnNorm[l] = ckpt.read(lp + "post_feedforward_layernorm.weight", dim);
            }
            wGate[l] = ckpt.read(lp + "mlp.gate_proj.weight", hiddenDim, dim);
            wUp[l] = ckpt.read(lp + "mlp.up_proj.weight", hiddenDim, dim);
            wDown[l] = ckpt.read(lp + "mlp.down_proj.weight", dim, hiddenDim);
        }
        finalNorm = ckpt.read(p + "norm.weight", dim);
        lmHead = tied ? embed : ckpt.read("lm_head.weight", vocabSize, dim);
    }

    static ReferenceTransformer load(Path dir) {
        try (HfCheckpoint ckpt = HfCheckpoint.open(dir)) {
            return new ReferenceTransformer(ckpt);
        }
    }

    int vocabSize() {
        return vocabSize;
    }

    // ----------------------------------------------------------------------------------------------------------
    // RoPE inverse frequencies, in f32 as modeling_rope_utils computes them.

    /**
     * {@code inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))}, then the rope_scaling of
     * {@code _compute_linear_scaling_rope_parameters} or {@code _compute_llama3_parameters}: f32 tensors.
     */
    static float[] ropeInvFreq(double base, int headSize, JsonNode ropeScaling) {
        float[] invFreq = new float[headSize / 2];
        for (int i = 0; i < invFreq.length; i++) {
            float exponent = (float) (2 * i) / (float) headSize;       // arange(...).float() / dim
            float power = (float) Math.pow((float) base, exponent);    // f32 pow
            invFreq[i] = 1.0f / power;
        }
        if (ropeScaling == null || ropeScaling.isMissingNode() || ropeScaling.isNull()) {
            return invFreq;
        }
        String type = ropeScaling.has("rope_type") ? ropeScaling.get("rope_type").asText()
                : ropeScaling.path("type").asText();
        float factor = (float) ropeScaling.path("factor").asDouble(1.0);
        switch (type) {
            case "default":
                return invFreq;
            case "linear":
                // inv_freq /= factor (equivalently, positions divided by factor)
                for (int i = 0; i < invFreq.length; i++) {
                    invFreq[i] = invFreq[i] / factor;
                }
                return invFreq;
            case "llama3": {
                // _compute_llama3_parameters, literally. Python floats are doubles; tensors are f32.
                double lowFreqFactor = ropeScaling.get("low_freq_factor").asDouble();
                double highFreqFactor = ropeScaling.get("high_freq_factor").asDouble();
                double oldContextLen = ropeScaling.get("original_max_position_embeddings").asDouble();
                double lowFreqWavelen = oldContextLen / lowFreqFactor;
                double highFreqWavelen = oldContextLen / highFreqFactor;
                float[] out = new float[invFreq.length];
                for (int i = 0; i < invFreq.length; i++) {
                    float wavelen = (float) (2 * Math.PI) / invFreq[i];              // 2 * math.pi / inv_freq
                    // wavelen < high_freq_wavelen: do nothing; wavelen > low_freq_wavelen: divide by factor
                    float invFreqLlama = wavelen > lowFreqWavelen ? invFreq[i] / factor : invFreq[i];
                    // otherwise: interpolate between the two, using the smooth factor
                    float smoothFactor = (float) ((oldContextLen / wavelen - lowFreqFactor)
                            / (highFreqFactor - lowFreqFactor));
                    float smoothed = (1 - smoothFactor) * invFreqLlama / factor + smoothFactor * invFreqLlama;
                    boolean isMediumFreq = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
                    out[i] = isMediumFreq ? smoothed : invFreqLlama;
                }
                return out;
            }
            default:
                throw new IllegalArgumentException("reference has no rope_type " + type);
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // The forward pass.

    /** Logits {@code [T][vocab]} of a whole sequence at positions {@code 0..T-1}. */
    float[][] forward(int[] tokens) {
        int seqLen = tokens.length;
        int qDim = nHeads * headSize;
        int kvDim = nKvHeads * headSize;

        // Embedding. Gemma3TextScaledWordEmbedding multiplies by embed_scale = hidden_size**0.5, an f32 tensor.
        double[][] x = new double[seqLen][dim];                            // [T, dim] the residual stream
        double embedScale = gemma ? (float) Math.sqrt(dim) : 1.0;
        for (int t = 0; t < seqLen; t++) {
            for (int i = 0; i < dim; i++) {
                x[t][i] = embed[tokens[t] * dim + i] * embedScale;
            }
        }

        for (int l = 0; l < nLayers; l++) {
            boolean sliding = gemma && slidingLayer[l];
            float[] invFreq = sliding ? localInvFreq : globalInvFreq;

            // ---- attention block ----
            double[][] q = new double[seqLen][];                           // [T, nHeads*headSize]
            double[][] k = new double[seqLen][];                           // [T, nKvHeads*headSize]
            double[][] v = new double[seqLen][];                           // [T, nKvHeads*headSize]
            for (int t = 0; t < seqLen; t++) {
                double[] xb = rmsnorm(x[t], inputNorm[l]);                // input_layernorm
                q[t] = matvec(wq[l], bq[l], xb, qDim, dim);
                k[t] = matvec(wk[l], bk[l], xb, kvDim, dim);
                v[t] = matvec(wv[l], bv[l], xb, kvDim, dim);
                for (int h = 0; h < nHeads; h++) {
                    if (qkNorm) {                                          // q_norm per head, before RoPE
                        normHeadInPlace(q[t], h * headSize, qNorm[l]);
                    }
                    rotateInPlace(q[t], h * headSize, t, invFreq);
                }
                for (int h = 0; h < nKvHeads; h++) {
                    if (qkNorm) {                                          // k_norm per head, before RoPE
                        normHeadInPlace(k[t], h * headSize, kNorm[l]);
                    }
                    rotateInPlace(k[t], h * headSize, t, invFreq);
                }
            }

            double[][] attnOut = new double[seqLen][qDim];                 // [T, nHeads*headSize]
            int groups = nHeads / nKvHeads;
            for (int h = 0; h < nHeads; h++) {
                int kvh = h / groups;                                      // repeat_kv
                for (int i = 0; i < seqLen; i++) {
                    double[] att = new double[seqLen];                     // [T] scores of query i over keys j
                    double maxScore = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < seqLen; j++) {
                        boolean visible = j <= i && (!sliding || i - j < slidingWindow);
                        if (!visible) {
                            att[j] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double score = 0;
                        for (int e = 0; e < headSize; e++) {
                            score += q[i][h * headSize + e] * k[j][kvh * headSize + e];
                        }
                        score *= scaling;
                        if (attnSoftcap > 0) {                             // before the mask, as in eager attention
                            score = Math.tanh(score / attnSoftcap) * attnSoftcap;
                        }
                        att[j] = score;
                        maxScore = Math.max(maxScore, score);
                    }
                    double sum = 0;
                    for (int j = 0; j < seqLen; j++) {
                        att[j] = att[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(att[j] - maxScore);
                        sum += att[j];
                    }
                    for (int j = 0; j < seqLen; j++) {
                        double p = att[j] / sum;
                        for (int e = 0; e < headSize; e++) {
                            attnOut[i][h * headSize + e] += p * v[j][kvh * headSize + e];
                        }
                    }
                }
            }
            for (int t = 0; t < seqLen; t++) {
                double[] o = matvec(wo[l], bo[l], attnOut[t], dim, qDim);  // o_proj
                if (gemma) {
                    o = rmsnorm(o, postAttnNorm[l]);                       // post_attention_layernorm
                }
                for (int i = 0; i < dim; i++) {
                    x[t][i] += o[i];                                       // residual
                }
            }

            // ---- MLP block ----
            for (int t = 0; t < seqLen; t++) {
                // Llama/Qwen call the pre-MLP norm post_attention_layernorm; Gemma has pre_feedforward_layernorm.
                double[] xb = rmsnorm(x[t], gemma ? preFfnNorm[l] : postAttnNorm[l]);
                double[] gate = matvec(wGate[l], null, xb, hiddenDim, dim); // [hiddenDim]
                double[] up = matvec(wUp[l], null, xb, hiddenDim, dim);     // [hiddenDim]
                double[] hb = new double[hiddenDim];
                for (int i = 0; i < hiddenDim; i++) {
                    hb[i] = activation(gate[i]) * up[i];
                }
                double[] down = matvec(wDown[l], null, hb, dim, hiddenDim); // [dim]
                if (gemma) {
                    down = rmsnorm(down, postFfnNorm[l]);                  // post_feedforward_layernorm
                }
                for (int i = 0; i < dim; i++) {
                    x[t][i] += down[i];                                    // residual
                }
            }
        }

        // Final norm, lm_head, final logit soft-capping.
        float[][] logits = new float[seqLen][];
        for (int t = 0; t < seqLen; t++) {
            double[] xb = rmsnorm(x[t], finalNorm);
            double[] out = matvec(lmHead, null, xb, vocabSize, dim);       // [vocab]
            logits[t] = new float[vocabSize];
            for (int i = 0; i < vocabSize; i++) {
                double z = finalSoftcap > 0 ? Math.tanh(out[i] / finalSoftcap) * finalSoftcap : out[i];
                logits[t][i] = (float) z;
            }
        }
        return logits;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Building blocks.

    /** {@code W x + b} for W {@code [rows, cols]}; b may be null. */
    private static double[] matvec(float[] w, float[] b, double[] x, int rows, int cols) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double sum = b == null ? 0 : b[r];
            for (int c = 0; c < cols; c++) {
                sum += w[r * cols + c] * x[c];
            }
            out[r] = sum;
        }
        return out;
    }

    /** LlamaRMSNorm: {@code w * x / sqrt(mean(x²) + eps)}; Gemma3RMSNorm: {@code (1 + w) * ...}. */
    private double[] rmsnorm(double[] x, float[] w) {
        double ss = 0;
        for (double xi : x) {
            ss += xi * xi;
        }
        double inv = 1.0 / Math.sqrt(ss / x.length + eps);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * inv * (gemma ? 1.0 + w[i] : w[i]);
        }
        return out;
    }

    /** The same RMSNorm over one head's slice {@code [offset, offset + headSize)}. */
    private void normHeadInPlace(double[] vec, int offset, float[] w) {
        double[] head = new double[headSize];
        System.arraycopy(vec, offset, head, 0, headSize);
        System.arraycopy(rmsnorm(head, w), 0, vec, offset, headSize);
    }

    /**
     * apply_rotary_pos_emb on one head: {@code x * cos + rotate_half(x) * sin}, where
     * {@code rotate_half(x) = cat(-x2, x1)} and cos/sin are of {@code emb = cat(freqs, freqs)},
     * {@code freqs = position * inv_freq} computed in f32.
     */
    private void rotateInPlace(double[] vec, int offset, int position, float[] invFreq) {
        int half = headSize / 2;
        double[] x = new double[headSize];
        System.arraycopy(vec, offset, x, 0, headSize);
        for (int i = 0; i < headSize; i++) {
            float freq = (float) position * invFreq[i % half];            // emb[i] = freqs[i mod half]
            double cos = (float) Math.cos(freq);
            double sin = (float) Math.sin(freq);
            double rotated = i < half ? -x[i + half] : x[i - half];       // rotate_half
            vec[offset + i] = x[i] * cos + rotated * sin;
        }
    }

    /** ACT2FN[hidden_act]: SiLU, or GELU with the tanh approximation. */
    private double activation(double x) {
        if (act.equals("silu")) {
            return x / (1 + Math.exp(-x));
        }
        if (act.equals("gelu_pytorch_tanh")) {
            return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
        }
        throw new IllegalArgumentException("reference has no activation " + act);
    }
}
