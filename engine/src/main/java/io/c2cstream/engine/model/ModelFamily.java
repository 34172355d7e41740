package io.c2cstream.engine.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The decoder-only architectures the engine runs, chosen by {@code model_type} in config.json. */
public enum ModelFamily {
    /** Llama 2/3.x: plain GQA attention, SwiGLU, optional llama3 RoPE scaling. */
    LLAMA("llama"),
    /** Qwen2 / Qwen2.5: Llama plus biases on the q, k and v projections. */
    QWEN2("qwen2"),
    /** Qwen3: Llama plus a per-head RMSNorm of queries and keys before RoPE. */
    QWEN3("qwen3"),
    /** Gemma 3 text: sandwich norms, (1+w) RMSNorm, q/k norm, tanh-GELU, local sliding-window layers. */
    GEMMA3("gemma3_text");

    private final String modelType;

    ModelFamily(String modelType) {
        this.modelType = modelType;
    }

    public String modelType() {
        return modelType;
    }

    /** Resolves {@code model_type}; the multimodal "gemma3" wrapper is read through its text_config. */
    public static ModelFamily fromModelType(String modelType) {
        for (ModelFamily f : values()) {
            if (f.modelType.equals(modelType)) {
                return f;
            }
        }
        if ("gemma3".equals(modelType)) {
            return GEMMA3;
        }
        throw new UnsupportedModelException(modelType, supported());
    }

    static String supported() {
        return Arrays.stream(values()).map(ModelFamily::modelType).collect(Collectors.joining(", "))
                + " (and gemma3 with a text_config)";
    }
}
