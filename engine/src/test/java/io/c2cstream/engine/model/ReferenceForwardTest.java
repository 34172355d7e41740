package io.c2cstream.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.checkpoint.TensorDType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The optimised {@link TransformerModel} against the naive {@link ReferenceTransformer} on tiny f32 checkpoints:
 * relative error {@code max|a-b| / max|b|} at most 1e-4, for every family and for variants that switch on the
 * features the base configs leave off.
 */
class ReferenceForwardTest {
    /** Longer than the Gemma sliding windows below (4 and 5), so local layers really drop keys. */
    private static final int[] PROMPT = {5, 17, 3, 42, 8, 8, 29, 60, 1, 33, 12, 0, 51};

    @TempDir
    Path dir;

    /** Each family's base config from {@link TinyModels}, then variants. */
    static Stream<Arguments> checkpoints() {
        List<Arguments> cases = new ArrayList<>();
        for (ModelFamily family : ModelFamily.values()) {
            cases.add(Arguments.of(family.modelType(), TinyModels.config(family)));
        }

        // Llama with the old "type" key and linear scaling, biases on q, k, v and o (attention_bias), tied
        // embeddings and multi-query attention (one KV head for four query heads).
        ObjectNode llama = TinyModels.config(ModelFamily.LLAMA);
        llama.put("attention_bias", true).put("tie_word_embeddings", true).put("num_key_value_heads", 1);
        llama.putObject("rope_scaling").put("type", "linear").put("factor", 2.0);
        cases.add(Arguments.of("llama linear rope, attention_bias, tied, MQA", llama));

        // Qwen2 with a separate lm_head and eight 4-wide heads sharing two KV heads (four per group).
        ObjectNode qwen2 = TinyModels.config(ModelFamily.QWEN2);
        qwen2.put("tie_word_embeddings", false).put("num_attention_heads", 8);
        cases.add(Arguments.of("qwen2 untied, 8 heads", qwen2));

        // Qwen3 with attention_bias (q, k, v and o biases), untied, plain multi-head attention.
        ObjectNode qwen3 = TinyModels.config(ModelFamily.QWEN3);
        qwen3.put("attention_bias", true).put("tie_word_embeddings", false).put("num_key_value_heads", 4);
        cases.add(Arguments.of("qwen3 attention_bias, untied, MHA", qwen3));

        // Gemma 3 as the multimodal wrapper: text_config, tensors under language_model.model., explicit
        // layer_types, linear rope scaling on global layers only (as gemma-3-4b), no soft-capping, untied.
        ObjectNode text = TinyModels.config(ModelFamily.GEMMA3);
        text.remove(List.of("sliding_window_pattern", "attn_logit_softcapping", "final_logit_softcapping"));
        text.put("num_hidden_layers", 4).put("sliding_window", 5).put("tie_word_embeddings", false);
        ArrayNode types = text.putArray("layer_types");
        types.add("full_attention").add("sliding_attention").add("sliding_attention").add("full_attention");
        text.putObject("rope_scaling").put("rope_type", "linear").put("factor", 8.0);
        ObjectNode gemma = new ObjectMapper().createObjectNode().put("model_type", "gemma3");
        gemma.set("text_config", text);
        cases.add(Arguments.of("gemma3 wrapper, layer_types, linear rope, no softcaps, untied", gemma));
        return cases.stream();
    }

    @Test
    void everyFamilyHasABaseCase() {
        Set<ModelFamily> covered = EnumSet.noneOf(ModelFamily.class);
        checkpoints().forEach(a -> covered.add(ModelConfig.fromJson((ObjectNode) a.get()[1]).family()));
        assertEquals(EnumSet.allOf(ModelFamily.class), covered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void fullSequenceLogitsMatchTheReference(String name, ObjectNode config) {
        TinyModels.write(dir, config, TensorDType.F32, 23);
        float[][] expected = ReferenceTransformer.load(dir).forward(PROMPT);
        try (TransformerModel model = TransformerModel.load(dir); NDManager m = NDManager.newBaseManager();
             KvCache cache = model.newCache(1, PROMPT.length)) {
            float[] actual = model.forward(TokenBatch.single(PROMPT, cache), cache, TransformerModel.Logits.ALL, m)
                    .toFloatArray();
            LogitAssertions.assertClose(flatten(expected), actual, name + " all positions");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void leftPaddedBatchLastLogitsMatchTheReference(String name, ObjectNode config) {
        TinyModels.write(dir, config, TensorDType.F32, 29);
        ReferenceTransformer reference = ReferenceTransformer.load(dir);
        List<int[]> prompts = List.of(PROMPT, new int[] {9, 4, 22}, Arrays.copyOfRange(PROMPT, 2, 11), new int[] {7});
        int[] next = {19, 2, 50, 3};
        int vocab = reference.vocabSize();
        try (TransformerModel model = TransformerModel.load(dir); NDManager m = NDManager.newBaseManager();
             KvCache cache = model.newCache(prompts.size(), 8)) {
            float[] prefill = model.forward(TokenBatch.leftPadded(prompts, 0), cache, TransformerModel.Logits.LAST, m)
                    .toFloatArray();
            int[][] step = new int[prompts.size()][];
            for (int r = 0; r < step.length; r++) {
                step[r] = new int[] {next[r]};
            }
            float[] decode = model.forward(TokenBatch.continuing(step, cache), cache, TransformerModel.Logits.LAST, m)
                    .toFloatArray();
            for (int r = 0; r < prompts.size(); r++) {
                int[] prompt = prompts.get(r);
                float[][] alone = reference.forward(prompt);
                LogitAssertions.assertClose(alone[prompt.length - 1], LogitAssertions.row(prefill, r, vocab), name + " prefill row " + r);
                int[] extended = Arrays.copyOf(prompt, prompt.length + 1);
                extended[prompt.length] = next[r];
                float[][] withNext = reference.forward(extended);
                LogitAssertions.assertClose(withNext[prompt.length], LogitAssertions.row(decode, r, vocab), name + " decode row " + r);
            }
        }
    }


    private static float[] flatten(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * rows[r].length, rows[r].length);
        }
        return out;
    }

}
