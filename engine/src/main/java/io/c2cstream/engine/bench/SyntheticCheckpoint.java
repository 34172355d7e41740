package io.c2cstream.engine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.checkpoint.HfCheckpointWriter;
import io.c2cstream.engine.checkpoint.TensorDType;
import java.nio.file.Path;
import java.util.Random;

/** A random Llama-layout checkpoint of a chosen size, for measuring the engine on larger shapes. */
public final class SyntheticCheckpoint {
    private SyntheticCheckpoint() {}

    /** Writes a random llama checkpoint (bf16) with the given geometry to {@code dir}. */
    public static void write(Path dir, int hidden, int intermediate, int layers, int heads, int kvHeads, int vocab, long seed) {
        ObjectNode config = new ObjectMapper().createObjectNode();
        config.put("model_type", "llama").put("hidden_size", hidden).put("intermediate_size", intermediate)
                .put("num_hidden_layers", layers).put("num_attention_heads", heads).put("num_key_value_heads", kvHeads)
                .put("vocab_size", vocab).put("max_position_embeddings", 4096).put("rope_theta", 10000.0)
                .put("tie_word_embeddings", true);
        int headDim = hidden / heads;
        Random random = new Random(seed);
        double std = 1 / Math.sqrt(hidden);
        HfCheckpointWriter w = HfCheckpointWriter.to(dir).config(config).dtype(TensorDType.BF16);
        w.add("model.embed_tokens.weight", new long[] {vocab, hidden}, gaussian(random, vocab * hidden, 1.0));
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            w.add(p + "input_layernorm.weight", new long[] {hidden}, ones(hidden));
            w.add(p + "self_attn.q_proj.weight", new long[] {heads * headDim, hidden}, gaussian(random, heads * headDim * hidden, std));
            w.add(p + "self_attn.k_proj.weight", new long[] {kvHeads * headDim, hidden}, gaussian(random, kvHeads * headDim * hidden, std));
            w.add(p + "self_attn.v_proj.weight", new long[] {kvHeads * headDim, hidden}, gaussian(random, kvHeads * headDim * hidden, std));
            w.add(p + "self_attn.o_proj.weight", new long[] {hidden, heads * headDim}, gaussian(random, hidden * heads * headDim, std));
            w.add(p + "post_attention_layernorm.weight", new long[] {hidden}, ones(hidden));
            w.add(p + "mlp.gate_proj.weight", new long[] {intermediate, hidden}, gaussian(random, intermediate * hidden, std));
            w.add(p + "mlp.up_proj.weight", new long[] {intermediate, hidden}, gaussian(random, intermediate * hidden, std));
            w.add(p + "mlp.down_proj.weight", new long[] {hidden, intermediate}, gaussian(random, hidden * intermediate, std));
        }
        w.add("model.norm.weight", new long[] {hidden}, ones(hidden));
        w.write();
    }

    private static float[] ones(int n) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, 1f);
        return out;
    }

    private static float[] gaussian(Random random, int n, double std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextGaussian() * std);
        }
        return out;
    }
}
