package io.c2cstream.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.checkpoint.CheckpointException;
import org.junit.jupiter.api.Test;

/** config.json parsing: supported families, errors that name their key, and each family's defaults. */
class ModelConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A minimal valid config: hidden 32, 4 heads of 8, 2 KV heads. */
    private static ObjectNode minimal(String modelType) {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", modelType).put("hidden_size", 32).put("intermediate_size", 48)
                .put("num_hidden_layers", 6).put("num_attention_heads", 4).put("num_key_value_heads", 2)
                .put("vocab_size", 61);
        if (modelType.startsWith("gemma3")) {
            c.put("sliding_window", 4);
        }
        return c;
    }

    private static void assertRejected(ObjectNode config, String key) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelConfig.fromJson(config));
        assertTrue(e.getMessage().contains("'" + key + "'"), "names " + key + ": " + e.getMessage());
    }

    // ---- supported families ------------------------------------------------------------------------------------

    @Test
    void unsupportedModelTypeListsTheSupportedOnes() {
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> ModelConfig.fromJson(minimal("mistral")));
        assertTrue(e.getMessage().contains("'mistral'"), e.getMessage());
        for (String supported : new String[] {"llama", "qwen2", "qwen3", "gemma3_text"}) {
            assertTrue(e.getMessage().contains(supported), "lists " + supported + ": " + e.getMessage());
        }
        // A config without model_type is rejected the same way rather than guessed.
        ObjectNode none = minimal("llama");
        none.remove("model_type");
        assertThrows(UnsupportedModelException.class, () -> ModelConfig.fromJson(none));
    }

    @Test
    void everyFamilyParsesFromItsModelType() {
        for (ModelFamily family : ModelFamily.values()) {
            assertEquals(family, ModelConfig.fromJson(minimal(family.modelType())).family());
        }
    }

    // ---- errors name their key ---------------------------------------------------------------------------------

    @Test
    void kvHeadsThatDoNotDivideHeadsAreNamed() {
        assertRejected(minimal("llama").put("num_key_value_heads", 3), "num_key_value_heads");
    }

    @Test
    void missingOrNonPositiveSizesAreNamed() {
        ObjectNode missing = minimal("qwen2");
        missing.remove("hidden_size");
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelConfig.fromJson(missing));
        assertTrue(e.getMessage().contains("'hidden_size'") && e.getMessage().contains("missing"), e.getMessage());
        assertRejected(minimal("llama").put("num_hidden_layers", 0), "num_hidden_layers");
        assertRejected(minimal("llama").put("vocab_size", "many"), "vocab_size");
    }

    @Test
    void oddHeadDimIsNamed() {
        assertRejected(minimal("qwen3").put("head_dim", 7), "head_dim");
        // Derived from hidden/heads too: 36 / 4 = 9.
        assertRejected(minimal("llama").put("hidden_size", 36), "head_dim");
    }

    @Test
    void unsupportedActivationsAreNamed() {
        assertRejected(minimal("llama").put("hidden_act", "relu"), "hidden_act");
        // Gemma reads hidden_activation, not hidden_act.
        assertRejected(minimal("gemma3_text").put("hidden_activation", "gelu"), "hidden_activation");
    }

    @Test
    void unsupportedRopeScalingIsNamed() {
        ObjectNode yarn = minimal("qwen2");
        yarn.putObject("rope_scaling").put("rope_type", "yarn").put("factor", 4.0)
                .put("original_max_position_embeddings", 32768);
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelConfig.fromJson(yarn));
        assertTrue(e.getMessage().contains("rope_scaling") && e.getMessage().contains("yarn"), e.getMessage());
        // The legacy key "type" is read the same way.
        ObjectNode legacy = minimal("llama");
        legacy.putObject("rope_scaling").put("type", "dynamic").put("factor", 2.0);
        assertRejected(legacy, "rope_scaling.rope_type");
    }

    @Test
    void featuresTheEngineLacksAreRejectedByKey() {
        assertRejected(minimal("llama").put("mlp_bias", true), "mlp_bias");
        assertRejected(minimal("qwen2").put("use_sliding_window", true), "use_sliding_window");
    }

    // ---- family defaults ---------------------------------------------------------------------------------------

    @Test
    void llamaDefaults() {
        ModelConfig c = ModelConfig.fromJson(minimal("llama"));
        assertEquals(8, c.headDim());
        assertEquals(2, c.queriesPerKvHead());
        assertFalse(c.attentionBias());
        assertFalse(c.outputProjectionBias());
        assertFalse(c.qkNorm());
        assertFalse(c.gemmaNorms());
        assertFalse(c.tieWordEmbeddings());
        assertEquals("silu", c.hiddenAct());
        assertEquals(10_000.0, c.ropeTheta());
        assertNull(c.ropeScaling());
        assertEquals(1 / Math.sqrt(8), c.queryScale(), 1e-12);
        assertEquals(0, c.slidingWindow());
        assertEquals(0.0, c.finalLogitSoftcap());
        assertEquals(0.0, c.attnLogitSoftcap());
        // num_key_value_heads absent (or null) means multi-head attention.
        ObjectNode mha = minimal("llama");
        mha.remove("num_key_value_heads");
        assertEquals(4, ModelConfig.fromJson(mha).numKvHeads());
        assertEquals(4, ModelConfig.fromJson(minimal("llama").putNull("num_key_value_heads")).numKvHeads());
        // attention_bias puts biases on q, k, v and o.
        ModelConfig biased = ModelConfig.fromJson(minimal("llama").put("attention_bias", true));
        assertTrue(biased.attentionBias());
        assertTrue(biased.outputProjectionBias());
    }

    @Test
    void qwen2AlwaysHasQkvBiasButNoOutputBias() {
        for (boolean declared : new boolean[] {false, true}) {
            ModelConfig c = ModelConfig.fromJson(minimal("qwen2").put("attention_bias", declared));
            assertTrue(c.attentionBias(), "q/k/v biases whatever attention_bias says");
            assertFalse(c.outputProjectionBias(), "Qwen2's o_proj has no bias");
        }
        ModelConfig c = ModelConfig.fromJson(minimal("qwen2"));
        assertTrue(c.attentionBias());
        assertFalse(c.qkNorm());
    }

    @Test
    void qwen3HasQkNormAndNoBiasByDefault() {
        ModelConfig c = ModelConfig.fromJson(minimal("qwen3").put("head_dim", 16));
        assertTrue(c.qkNorm());
        assertFalse(c.attentionBias());
        assertFalse(c.gemmaNorms());
        // head_dim need not be hidden / heads; the scale follows head_dim.
        assertEquals(16, c.headDim());
        assertEquals(0.25, c.queryScale(), 1e-12);
    }

    @Test
    void gemma3Defaults() {
        ModelConfig c = ModelConfig.fromJson(minimal("gemma3_text").put("head_dim", 16));
        assertTrue(c.gemmaNorms());
        assertTrue(c.qkNorm());
        assertTrue(c.tieWordEmbeddings());
        assertEquals("gelu_pytorch_tanh", c.hiddenAct());
        assertEquals(1_000_000.0, c.ropeTheta());
        assertEquals(10_000.0, c.ropeLocalTheta());
        assertEquals(4, c.slidingWindow());
        // query_pre_attn_scalar defaults to 256 (Gemma3TextConfig), not to head_dim.
        assertEquals(1 / 16.0, c.queryScale(), 1e-12);
        assertEquals(0.2, ModelConfig.fromJson(minimal("gemma3_text").put("query_pre_attn_scalar", 25))
                .queryScale(), 1e-12);
        // sliding_window_pattern defaults to 6: of six layers only the sixth is global.
        assertArrayEquals(new boolean[] {true, true, true, true, true, false}, c.slidingLayers());
    }

    @Test
    void gemma3SlidingLayersFromPattern() {
        // Layer i slides unless (i + 1) % pattern == 0: with pattern 3, layers 2 and 5 are global.
        ModelConfig c = ModelConfig.fromJson(minimal("gemma3_text").put("sliding_window_pattern", 3));
        assertArrayEquals(new boolean[] {true, true, false, true, true, false}, c.slidingLayers());
        for (int l = 0; l < 6; l++) {
            assertEquals(l % 3 != 2, c.isSliding(l), "layer " + l);
        }
    }

    @Test
    void gemma3SlidingLayersFromLayerTypesOverrideThePattern() {
        ObjectNode json = minimal("gemma3_text").put("sliding_window_pattern", 3);
        json.putArray("layer_types").add("full_attention").add("sliding_attention").add("full_attention")
                .add("sliding_attention").add("sliding_attention").add("full_attention");
        assertArrayEquals(new boolean[] {false, true, false, true, true, false},
                ModelConfig.fromJson(json).slidingLayers());
    }

    @Test
    void gemma3NeedsASlidingWindow() {
        ObjectNode json = minimal("gemma3_text");
        json.remove("sliding_window");
        assertRejected(json, "sliding_window");
    }

    @Test
    void gemma3WrapperIsReadThroughItsTextConfig() {
        ObjectNode text = minimal("gemma3_text").put("hidden_size", 64).put("head_dim", 16)
                .put("final_logit_softcapping", 30.0).put("attn_logit_softcapping", 50.0);
        text.putObject("rope_scaling").put("rope_type", "linear").put("factor", 8.0);
        ObjectNode wrapper = JSON.createObjectNode().put("model_type", "gemma3");
        wrapper.set("text_config", text);
        // The wrapper's own top-level keys (e.g. the vision tower's sizes) must not leak in.
        wrapper.put("hidden_size", 1152);
        ModelConfig c = ModelConfig.fromJson(wrapper);
        assertEquals(ModelFamily.GEMMA3, c.family());
        assertEquals(64, c.hiddenSize());
        assertEquals(16, c.headDim());
        assertEquals(30.0, c.finalLogitSoftcap());
        assertEquals(50.0, c.attnLogitSoftcap());
        assertEquals(new RopeScaling("linear", 8.0, 0, 0, 0), c.ropeScaling());
        assertTrue(c.gemmaNorms());
    }

    @Test
    void gemma3TextConfigsMayLeaveHeadsAndVocabularyAtTheirDefaults() {
        // gemma-3-4b's text_config states neither head counts nor vocabulary: Gemma3TextConfig's defaults apply.
        ObjectNode text = minimal("gemma3_text").put("hidden_size", 2560);
        text.remove(java.util.List.of("num_attention_heads", "num_key_value_heads", "head_dim", "vocab_size"));
        ObjectNode wrapper = JSON.createObjectNode().put("model_type", "gemma3");
        wrapper.set("text_config", text);
        ModelConfig c = ModelConfig.fromJson(wrapper);
        assertEquals(8, c.numHeads());
        assertEquals(4, c.numKvHeads());
        assertEquals(256, c.headDim());
        assertEquals(262_208, c.vocabSize());
    }

    // ---- RoPE inverse frequencies ------------------------------------------------------------------------------

    @Test
    void defaultRopeInverseFrequencies() {
        // inv_freq[i] = 1 / theta^(2i/d): with theta 10000 and d = 8, 10000^(-i/4) = 1, 0.1, 0.01, 0.001.
        ModelConfig c = ModelConfig.fromJson(minimal("llama").put("rope_theta", 10_000.0));
        float[] inv = new RotaryEmbedding(c.headDim(), c.ropeTheta(), c.ropeScaling()).inverseFrequencies();
        assertArrayClose(new double[] {1, 0.1, 0.01, 0.001}, inv);
    }

    @Test
    void linearRopeScalingDividesEveryFrequency() {
        ObjectNode json = minimal("llama").put("rope_theta", 10_000.0);
        json.putObject("rope_scaling").put("rope_type", "linear").put("factor", 4.0);
        ModelConfig c = ModelConfig.fromJson(json);
        float[] inv = new RotaryEmbedding(c.headDim(), c.ropeTheta(), c.ropeScaling()).inverseFrequencies();
        assertArrayClose(new double[] {0.25, 0.025, 0.0025, 0.00025}, inv);
    }

    @Test
    void llama3RopeScalingByHand() {
        ObjectNode json = minimal("llama").put("rope_theta", 10_000.0);
        json.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 8.0).put("low_freq_factor", 1.0)
                .put("high_freq_factor", 4.0).put("original_max_position_embeddings", 1000);
        ModelConfig c = ModelConfig.fromJson(json);
        assertEquals(new RopeScaling("llama3", 8.0, 1.0, 4.0, 1000), c.ropeScaling());
        float[] inv = new RotaryEmbedding(c.headDim(), c.ropeTheta(), c.ropeScaling()).inverseFrequencies();

        // Unscaled (d = 8, theta = 10000): inv_freq = 1, 0.1, 0.01, 0.001; wavelength 2π/inv_freq =
        // 6.28, 62.8, 628.3, 6283. The bands come from the original context of 1000 positions:
        //   low_freq_wavelen  = 1000 / low_freq_factor  = 1000
        //   high_freq_wavelen = 1000 / high_freq_factor = 250
        // i = 0, 1: wavelength < 250, high frequency, kept: 1 and 0.1.
        // i = 3: wavelength 6283 > 1000, low frequency, divided by the factor: 0.001 / 8 = 0.000125.
        // i = 2: wavelength 628.3 lies in [250, 1000], medium: interpolated with
        //   smooth = (1000 / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
        //          = (1000 · 0.01 / 2π - 1) / 3 = (1.5915494 - 1) / 3 = 0.1971831
        //   inv    = (1 - smooth) · 0.01 / 8 + smooth · 0.01 = 0.01 · (0.1003521 + 0.1971831) = 0.002975352
        double smooth = (10 / (2 * Math.PI) - 1) / 3;
        assertEquals(0.1971831, smooth, 1e-7);
        assertArrayClose(new double[] {1, 0.1, 0.002975352, 0.000125}, inv);
    }

    private static void assertArrayClose(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], expected[i] * 1e-6, "inv_freq[" + i + "]");
        }
    }
}
