package io.c2cstream.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.checkpoint.HfCheckpointWriter;
import io.c2cstream.engine.checkpoint.TensorDType;
import java.nio.file.Path;
import java.util.Random;

/** Writes tiny randomly initialised checkpoints of each family in the Hugging Face layout. */
public final class TinyModels {
    static final int HIDDEN = 32;
    static final int INTERMEDIATE = 48;
    static final int LAYERS = 3;
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    public static final int VOCAB = 61;

    private TinyModels() {}

    /** A config.json for the family with every feature it has switched on (scaling, softcaps, windows). */
    public static ObjectNode config(ModelFamily family) {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.put("model_type", family.modelType());
        c.put("hidden_size", HIDDEN);
        c.put("intermediate_size", INTERMEDIATE);
        c.put("num_hidden_layers", LAYERS);
        c.put("num_attention_heads", HEADS);
        c.put("num_key_value_heads", KV_HEADS);
        c.put("vocab_size", VOCAB);
        c.put("max_position_embeddings", 256);
        c.put("rms_norm_eps", 1e-6);
        switch (family) {
            case LLAMA -> {
                c.put("rope_theta", 500000.0);
                c.put("tie_word_embeddings", false);
                ObjectNode s = c.putObject("rope_scaling");
                s.put("rope_type", "llama3").put("factor", 8.0).put("low_freq_factor", 1.0)
                        .put("high_freq_factor", 4.0).put("original_max_position_embeddings", 16);
            }
            case QWEN2 -> c.put("rope_theta", 1000000.0).put("tie_word_embeddings", true);
            case QWEN3 -> c.put("rope_theta", 1000000.0).put("head_dim", 12).put("tie_word_embeddings", true);
            case GEMMA3 -> {
                c.put("head_dim", 16).put("query_pre_attn_scalar", 24).put("sliding_window", 4)
                        .put("sliding_window_pattern", 2).put("rope_local_base_freq", 10000.0)
                        .put("rope_theta", 1000000.0).put("final_logit_softcapping", 5.0)
                        .put("attn_logit_softcapping", 3.0);
                c.put("hidden_activation", "gelu_pytorch_tanh");
            }
        }
        return c;
    }

    public static void write(Path dir, ModelFamily family, TensorDType dtype, long seed) {
        write(dir, config(family), dtype, seed);
    }

    /** Writes an f32 checkpoint of {@code family} to {@code dir} and loads it; the caller closes the model. */
    public static TransformerModel load(Path dir, ModelFamily family, long seed) {
        write(dir, family, TensorDType.F32, seed);
        return TransformerModel.load(dir);
    }

    /**
     * Writes random weights for any config.json of a supported family: every tensor the config implies, under
     * {@code language_model.model.} when it is the multimodal "gemma3" wrapper, else under {@code model.}.
     */
    static void write(Path dir, ObjectNode config, TensorDType dtype, long seed) {
        ModelConfig c = ModelConfig.fromJson(config);
        ModelFamily family = c.family();
        Random random = new Random(seed);
        HfCheckpointWriter w = HfCheckpointWriter.to(dir).config(config).dtype(dtype);
        int h = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        int d = c.headDim();
        int inter = c.intermediateSize();
        int vocab = c.vocabSize();
        boolean outputBias = c.outputProjectionBias();
        String prefix = "gemma3".equals(config.path("model_type").asText()) ? "language_model.model." : "model.";
        w.add(prefix + "embed_tokens.weight", new long[] {vocab, h}, gaussian(random, vocab * h, 1.0));
        for (int l = 0; l < c.numLayers(); l++) {
            String p = prefix + "layers." + l + ".";
            w.add(p + "input_layernorm.weight", new long[] {h}, norm(random, h, family));
            w.add(p + "self_attn.q_proj.weight", new long[] {q, h}, gaussian(random, q * h, 0.3));
            w.add(p + "self_attn.k_proj.weight", new long[] {kv, h}, gaussian(random, kv * h, 0.3));
            w.add(p + "self_attn.v_proj.weight", new long[] {kv, h}, gaussian(random, kv * h, 0.3));
            if (c.attentionBias()) {
                w.add(p + "self_attn.q_proj.bias", new long[] {q}, gaussian(random, q, 0.3));
                w.add(p + "self_attn.k_proj.bias", new long[] {kv}, gaussian(random, kv, 0.3));
                w.add(p + "self_attn.v_proj.bias", new long[] {kv}, gaussian(random, kv, 0.3));
            }
            if (c.qkNorm()) {
                w.add(p + "self_attn.q_norm.weight", new long[] {d}, norm(random, d, family));
                w.add(p + "self_attn.k_norm.weight", new long[] {d}, norm(random, d, family));
            }
            w.add(p + "self_attn.o_proj.weight", new long[] {h, q}, gaussian(random, h * q, 0.2));
            if (outputBias) {
                w.add(p + "self_attn.o_proj.bias", new long[] {h}, gaussian(random, h, 0.3));
            }
            w.add(p + "post_attention_layernorm.weight", new long[] {h}, norm(random, h, family));
            if (c.gemmaNorms()) {
                w.add(p + "pre_feedforward_layernorm.weight", new long[] {h}, norm(random, h, family));
                w.add(p + "post_feedforward_layernorm.weight", new long[] {h}, norm(random, h, family));
            }
            w.add(p + "mlp.gate_proj.weight", new long[] {inter, h}, gaussian(random, inter * h, 0.3));
            w.add(p + "mlp.up_proj.weight", new long[] {inter, h}, gaussian(random, inter * h, 0.3));
            w.add(p + "mlp.down_proj.weight", new long[] {h, inter}, gaussian(random, h * inter, 0.2));
        }
        w.add(prefix + "norm.weight", new long[] {h}, norm(random, h, family));
        if (!c.tieWordEmbeddings()) {
            w.add("lm_head.weight", new long[] {vocab, h}, gaussian(random, vocab * h, 0.3));
        }
        w.write();
    }

    /** Norm weights near their identity value: 1 for w-norms, 0 for Gemma's (1 + w). */
    private static float[] norm(Random random, int n, ModelFamily family) {
        float[] w = gaussian(random, n, 0.1);
        if (family != ModelFamily.GEMMA3) {
            for (int i = 0; i < n; i++) {
                w[i] += 1f;
            }
        }
        return w;
    }

    static float[] gaussian(Random random, int n, double std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextGaussian() * std);
        }
        return out;
    }
}
