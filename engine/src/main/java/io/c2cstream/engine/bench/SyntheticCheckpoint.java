package io.c2cstream.engine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.checkpoint.HfCheckpointWriter;
import io.c2cstream.engine.checkpoint.TensorDType;
import io.c2cstream.engine.model.ModelFamily;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Random checkpoints of a chosen geometry (Llama, Qwen2 or Qwen3 layout), for measuring the engine on shapes
 * of real models without their weights.
 *
 * @param headDim per-head width (set explicitly in config.json, as Qwen3 does)
 */
public record SyntheticCheckpoint(ModelFamily family, int hidden, int intermediate, int layers, int heads, int kvHeads,
                                  int headDim, int vocab) {

    /** Qwen3-0.6B's geometry with {@code layers} layers and a {@code vocab}-token vocabulary. */
    public static SyntheticCheckpoint qwen3Small(int layers, int vocab) {
        return new SyntheticCheckpoint(ModelFamily.QWEN3, 1024, 3072, layers, 16, 8, 128, vocab);
    }

    /** Qwen2.5-0.5B's geometry with {@code layers} layers and a {@code vocab}-token vocabulary. */
    public static SyntheticCheckpoint qwen25Small(int layers, int vocab) {
        return new SyntheticCheckpoint(ModelFamily.QWEN2, 896, 4864, layers, 14, 2, 64, vocab);
    }

    /** Writes the checkpoint (bf16) to {@code dir}. */
    public void write(Path dir, long seed) {
        ObjectNode config = new ObjectMapper().createObjectNode();
        config.put("model_type", family.modelType()).put("hidden_size", hidden).put("intermediate_size", intermediate)
                .put("num_hidden_layers", layers).put("num_attention_heads", heads).put("num_key_value_heads", kvHeads)
                .put("head_dim", headDim).put("vocab_size", vocab).put("max_position_embeddings", 4096)
                .put("rope_theta", 1_000_000.0).put("tie_word_embeddings", true);
        Random random = new Random(seed);
        double std = 1 / Math.sqrt(hidden);
        int q = heads * headDim;
        int kv = kvHeads * headDim;
        HfCheckpointWriter w = HfCheckpointWriter.to(dir).config(config).dtype(TensorDType.BF16);
        w.add("model.embed_tokens.weight", new long[] {vocab, hidden}, gaussian(random, (long) vocab * hidden, 1.0));
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            w.add(p + "input_layernorm.weight", new long[] {hidden}, ones(hidden));
            w.add(p + "self_attn.q_proj.weight", new long[] {q, hidden}, gaussian(random, (long) q * hidden, std));
            w.add(p + "self_attn.k_proj.weight", new long[] {kv, hidden}, gaussian(random, (long) kv * hidden, std));
            w.add(p + "self_attn.v_proj.weight", new long[] {kv, hidden}, gaussian(random, (long) kv * hidden, std));
            if (family == ModelFamily.QWEN2) {
                w.add(p + "self_attn.q_proj.bias", new long[] {q}, gaussian(random, q, std));
                w.add(p + "self_attn.k_proj.bias", new long[] {kv}, gaussian(random, kv, std));
                w.add(p + "self_attn.v_proj.bias", new long[] {kv}, gaussian(random, kv, std));
            }
            if (family == ModelFamily.QWEN3) {
                w.add(p + "self_attn.q_norm.weight", new long[] {headDim}, ones(headDim));
                w.add(p + "self_attn.k_norm.weight", new long[] {headDim}, ones(headDim));
            }
            w.add(p + "self_attn.o_proj.weight", new long[] {hidden, q}, gaussian(random, (long) hidden * q, std));
            w.add(p + "post_attention_layernorm.weight", new long[] {hidden}, ones(hidden));
            w.add(p + "mlp.gate_proj.weight", new long[] {intermediate, hidden}, gaussian(random, (long) intermediate * hidden, std));
            w.add(p + "mlp.up_proj.weight", new long[] {intermediate, hidden}, gaussian(random, (long) intermediate * hidden, std));
            w.add(p + "mlp.down_proj.weight", new long[] {hidden, intermediate}, gaussian(random, (long) hidden * intermediate, std));
        }
        w.add("model.norm.weight", new long[] {hidden}, ones(hidden));
        w.write();
    }

    private static float[] ones(int n) {
        float[] out = new float[n];
        Arrays.fill(out, 1f);
        return out;
    }

    private static float[] gaussian(Random random, long n, double std) {
        float[] out = new float[Math.toIntExact(n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (random.nextGaussian() * std);
        }
        return out;
    }
}
