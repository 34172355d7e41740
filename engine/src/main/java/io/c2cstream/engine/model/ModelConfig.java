package io.c2cstream.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.checkpoint.CheckpointException;

/**
 * The geometry and numerics of a decoder-only model, read from a Hugging Face config.json.
 *
 * @param headDim              per-head width; may differ from hidden/heads (Qwen3, Gemma 3)
 * @param attentionBias        q/k/v projections carry biases (always for Qwen2); o_proj too, except for Qwen2
 * @param qkNorm               per-head RMSNorm of queries and keys before RoPE (Qwen3, Gemma 3)
 * @param gemmaNorms           (1+w) RMSNorm, norms after attention and FFN too, embeddings scaled by √hidden
 * @param hiddenAct            "silu" or "gelu_pytorch_tanh": the gate activation of the gated MLP
 * @param queryScale           multiplier of q·k: 1/√head_dim, or 1/√query_pre_attn_scalar for Gemma 3
 * @param slidingLayers        per layer: attends only to the last {@code slidingWindow} positions (Gemma 3 local)
 * @param ropeLocalTheta       RoPE base of sliding layers (Gemma 3); global layers use {@code ropeTheta}
 * @param finalLogitSoftcap    0 when unset; else logits = cap·tanh(logits/cap)
 * @param attnLogitSoftcap     0 when unset; else scores = cap·tanh(scores/cap)
 */
public record ModelConfig(
        ModelFamily family,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int vocabSize,
        int maxPositionEmbeddings,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        boolean qkNorm,
        boolean gemmaNorms,
        String hiddenAct,
        double queryScale,
        int slidingWindow,
        boolean[] slidingLayers,
        double ropeLocalTheta,
        double finalLogitSoftcap,
        double attnLogitSoftcap) {

    /** Query heads per KV head (grouped-query attention). */
    public int queriesPerKvHead() {
        return numHeads / numKvHeads;
    }

    /**
     * Whether o_proj has a bias: Hugging Face gives Llama, Qwen3 and Gemma 3 biases on all four attention
     * projections when {@code attention_bias} is set, while Qwen2 always biases q, k and v and never o.
     */
    public boolean outputProjectionBias() {
        return attentionBias && family != ModelFamily.QWEN2;
    }

    public boolean isSliding(int layer) {
        return slidingLayers[layer];
    }

    /** Parses config.json, applying each family's Hugging Face defaults; a bad value names its key. */
    public static ModelConfig fromJson(JsonNode json) {
        ModelFamily family = ModelFamily.fromModelType(json.path("model_type").asText("<missing>"));
        JsonNode c = family == ModelFamily.GEMMA3 && json.has("text_config") ? json.get("text_config") : json;
        if (family == ModelFamily.GEMMA3) {
            c = withGemma3Defaults(c);
        }
        int hidden = positive(c, "hidden_size");
        int layers = positive(c, "num_hidden_layers");
        int heads = positive(c, "num_attention_heads");
        int kvHeads = c.has("num_key_value_heads") && !c.get("num_key_value_heads").isNull()
                ? positive(c, "num_key_value_heads") : heads;
        if (heads % kvHeads != 0) {
            throw bad("num_key_value_heads", kvHeads + " does not divide num_attention_heads " + heads);
        }
        int headDim = c.has("head_dim") && !c.get("head_dim").isNull() ? positive(c, "head_dim") : hidden / heads;
        if (headDim % 2 != 0) {
            throw bad("head_dim", headDim + " is odd; rotary embeddings need an even head dimension");
        }
        boolean gemma = family == ModelFamily.GEMMA3;
        String act = gemma ? c.path("hidden_activation").asText("gelu_pytorch_tanh") : c.path("hidden_act").asText("silu");
        if (!act.equals("silu") && !act.equals("gelu_pytorch_tanh")) {
            throw bad(gemma ? "hidden_activation" : "hidden_act", "'" + act + "' is not supported (silu, gelu_pytorch_tanh)");
        }
        if (c.path("mlp_bias").asBoolean(false)) {
            throw bad("mlp_bias", "true is not supported: no supported checkpoint has MLP biases");
        }
        if (c.path("use_sliding_window").asBoolean(false)) {
            throw bad("use_sliding_window", "true is not supported for " + family.modelType());
        }
        boolean[] sliding = new boolean[layers];
        int window = 0;
        if (gemma) {
            window = positive(c, "sliding_window");
            JsonNode types = c.path("layer_types");
            int pattern = c.path("sliding_window_pattern").asInt(6);
            for (int i = 0; i < layers; i++) {
                sliding[i] = types.isArray() ? "sliding_attention".equals(types.path(i).asText())
                        : (i + 1) % pattern != 0;
            }
        }
        // Gemma3TextConfig defaults query_pre_attn_scalar to 256 whatever head_dim is.
        double queryPreAttnScalar = gemma ? c.path("query_pre_attn_scalar").asDouble(256) : headDim;
        return new ModelConfig(
                family, hidden, positive(c, "intermediate_size"), layers, heads, kvHeads, headDim,
                positive(c, "vocab_size"),
                c.path("max_position_embeddings").asInt(gemma ? 131072 : 4096),
                c.path("rms_norm_eps").asDouble(1e-6),
                c.path("rope_theta").asDouble(gemma ? 1_000_000.0 : 10_000.0),
                ropeScaling(c),
                c.path("tie_word_embeddings").asBoolean(gemma),
                family == ModelFamily.QWEN2 || c.path("attention_bias").asBoolean(false),
                family == ModelFamily.QWEN3 || gemma,
                gemma,
                act,
                1.0 / Math.sqrt(queryPreAttnScalar),
                window,
                sliding,
                c.path("rope_local_base_freq").asDouble(10_000.0),
                c.path("final_logit_softcapping").asDouble(0.0),
                c.path("attn_logit_softcapping").asDouble(0.0));
    }

    /**
     * Gemma 3 multimodal configs leave keys at Gemma3TextConfig's defaults (gemma-3-4b's text_config has no
     * head counts or vocabulary size): fill those in so that such checkpoints load.
     */
    private static JsonNode withGemma3Defaults(JsonNode c) {
        ObjectNode filled = c.deepCopy();
        filled.putIfAbsent("num_attention_heads", filled.numberNode(8));
        filled.putIfAbsent("num_key_value_heads", filled.numberNode(4));
        filled.putIfAbsent("head_dim", filled.numberNode(256));
        filled.putIfAbsent("vocab_size", filled.numberNode(262_208));
        return filled;
    }

    private static RopeScaling ropeScaling(JsonNode c) {
        JsonNode s = c.path("rope_scaling");
        if (s.isMissingNode() || s.isNull()) {
            return null;
        }
        String type = s.has("rope_type") ? s.path("rope_type").asText() : s.path("type").asText();
        switch (type) {
            case "default":
                return null;
            case "linear":
                return new RopeScaling(type, s.path("factor").asDouble(1.0), 0, 0, 0);
            case "llama3":
                return new RopeScaling(type, s.path("factor").asDouble(), s.path("low_freq_factor").asDouble(),
                        s.path("high_freq_factor").asDouble(), s.path("original_max_position_embeddings").asInt());
            default:
                throw bad("rope_scaling.rope_type", "'" + type + "' is not supported (default, linear, llama3)");
        }
    }

    private static int positive(JsonNode c, String key) {
        JsonNode v = c.get(key);
        if (v == null || !v.canConvertToInt() || v.asInt() <= 0) {
            throw bad(key, v == null ? "is missing" : "must be a positive integer, found " + v);
        }
        return v.asInt();
    }

    private static CheckpointException bad(String key, String problem) {
        return new CheckpointException("config.json key '" + key + "' " + problem);
    }
}
