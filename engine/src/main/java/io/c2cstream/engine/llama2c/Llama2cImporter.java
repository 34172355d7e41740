package io.c2cstream.engine.llama2c;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.checkpoint.CheckpointException;
import io.c2cstream.engine.checkpoint.HfCheckpoint;
import io.c2cstream.engine.checkpoint.HfCheckpointWriter;
import io.c2cstream.engine.checkpoint.TensorDType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Converts a llama2.c checkpoint and its tokenizer into a Hugging Face Llama directory (config.json,
 * model.safetensors in f32, tokenizer.json, tokenizer_config.json, generation_config.json), which then loads
 * like any other Hugging Face checkpoint.
 */
public final class Llama2cImporter {
    public static final String GENERATION_CONFIG = "generation_config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What an import wrote. */
    public record Result(Path dir, Llama2cConfig config, int tensors, int vocabSize, int merges) {}

    private Llama2cImporter() {}

    /** Imports into {@code out}, which must not exist yet or be empty, so no stale file survives next to the new ones. */
    public static Result importModel(Path checkpointFile, Path tokenizerFile, Path out) {
        Llama2cCheckpoint checkpoint = Llama2cCheckpoint.read(checkpointFile);
        Llama2cTokenizer tokenizer = Llama2cTokenizer.read(tokenizerFile);
        Llama2cConfig config = checkpoint.config();
        if (tokenizer.vocabSize() != config.vocabSize()) {
            throw new CheckpointException("tokenizer " + tokenizerFile + " has " + tokenizer.vocabSize()
                    + " tokens but checkpoint " + checkpointFile + " has a vocabulary of " + config.vocabSize()
                    + ": pass the tokenizer the model was trained with");
        }
        requireEmpty(out);
        HfCheckpointWriter weights = HfCheckpointWriter.to(out).dtype(TensorDType.F32).config(hfConfig(config));
        addWeights(checkpoint, weights);
        weights.write();
        int merges = HfTokenizerFiles.write(tokenizer, config.seqLen(), out);
        writeGenerationConfig(out);
        try (HfCheckpoint written = HfCheckpoint.open(out)) { // the directory must load like any other checkpoint
            return new Result(out, config, written.tensorNames().size(), tokenizer.vocabSize(), merges);
        }
    }

    private static void requireEmpty(Path out) {
        if (!Files.exists(out)) {
            return;
        }
        try (Stream<Path> entries = Files.list(out)) {
            if (entries.findAny().isPresent()) {
                throw new CheckpointException("output directory " + out + " is not empty; choose a new directory or"
                        + " empty it first");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list output directory " + out, e);
        }
    }

    private static ObjectNode hfConfig(Llama2cConfig c) {
        ObjectNode config = JSON.createObjectNode();
        config.put("model_type", "llama");
        config.putArray("architectures").add("LlamaForCausalLM");
        return config.put("hidden_size", c.dim())
                .put("intermediate_size", c.hiddenDim())
                .put("num_hidden_layers", c.layers())
                .put("num_attention_heads", c.heads())
                .put("num_key_value_heads", c.kvHeads())
                .put("head_dim", c.headDim())
                .put("vocab_size", c.vocabSize())
                .put("max_position_embeddings", c.seqLen())
                .put("rms_norm_eps", 1e-5)
                .put("rope_theta", 10000.0)
                .put("hidden_act", "silu")
                .put("tie_word_embeddings", c.sharedClassifier())
                .put("bos_token_id", Llama2cTokenizer.BOS_ID)
                .put("eos_token_id", Llama2cTokenizer.EOS_ID)
                .put("torch_dtype", "float32");
    }

    private static void addWeights(Llama2cCheckpoint ckpt, HfCheckpointWriter out) {
        Llama2cConfig c = ckpt.config();
        long d = c.dim();
        long h = c.hiddenDim();
        long kv = c.kvDim();
        out.add("model.embed_tokens.weight", new long[] {c.vocabSize(), d}, ckpt.tokenEmbedding());
        for (int i = 0; i < c.layers(); i++) {
            String p = "model.layers." + i + ".";
            out.add(p + "input_layernorm.weight", new long[] {d}, ckpt.attentionNorm()[i]);
            out.add(p + "self_attn.q_proj.weight", new long[] {d, d},
                    ropeHalvesFromPairs(ckpt.wq()[i], c.heads(), c.headDim(), c.dim()));
            out.add(p + "self_attn.k_proj.weight", new long[] {kv, d},
                    ropeHalvesFromPairs(ckpt.wk()[i], c.kvHeads(), c.headDim(), c.dim()));
            out.add(p + "self_attn.v_proj.weight", new long[] {kv, d}, ckpt.wv()[i]);
            out.add(p + "self_attn.o_proj.weight", new long[] {d, d}, ckpt.wo()[i]);
            out.add(p + "post_attention_layernorm.weight", new long[] {d}, ckpt.ffnNorm()[i]);
            out.add(p + "mlp.gate_proj.weight", new long[] {h, d}, ckpt.w1()[i]);
            out.add(p + "mlp.up_proj.weight", new long[] {h, d}, ckpt.w3()[i]);
            out.add(p + "mlp.down_proj.weight", new long[] {d, h}, ckpt.w2()[i]);
        }
        out.add("model.norm.weight", new long[] {d}, ckpt.finalNorm());
        if (!c.sharedClassifier()) {
            out.add("lm_head.weight", new long[] {c.vocabSize(), d}, ckpt.classifier());
        }
    }

    /**
     * llama2.c rotates adjacent pairs (2j, 2j+1) of each head by angle pos·θ^(-2j/hd); Hugging Face's rotate_half
     * rotates (j, j+hd/2) by the same angle. Moving output row 2j to j and row 2j+1 to j+hd/2 in every head makes
     * the two rotations agree; q·k is unchanged because q and k are permuted alike. This undoes the permutation
     * of Hugging Face's convert_llama_weights_to_hf.py.
     */
    private static float[] ropeHalvesFromPairs(float[] weight, int heads, int headDim, int cols) {
        float[] out = new float[weight.length];
        int half = headDim / 2;
        for (int head = 0; head < heads; head++) {
            int base = head * headDim;
            for (int j = 0; j < headDim; j++) {
                int from = j < half ? 2 * j : 2 * (j - half) + 1;
                System.arraycopy(weight, (base + from) * cols, out, (base + j) * cols, cols);
            }
        }
        return out;
    }

    private static void writeGenerationConfig(Path out) {
        ObjectNode generation = JSON.createObjectNode()
                .put("bos_token_id", Llama2cTokenizer.BOS_ID)
                .put("eos_token_id", Llama2cTokenizer.EOS_ID);
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve(GENERATION_CONFIG).toFile(), generation);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve(GENERATION_CONFIG), e);
        }
    }
}
