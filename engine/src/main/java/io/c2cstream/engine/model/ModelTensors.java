package io.c2cstream.engine.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The Hugging Face tensors of a model, by name and shape: the one place that knows a family's state dict.
 * Loading checks against it, and initialising and saving a model follow it.
 */
public final class ModelTensors {
    /** How a tensor is initialised for training from scratch. */
    public enum Kind { EMBEDDING, MATRIX, BIAS, NORM }

    /** One named tensor; matrices are {@code [out, in]}. */
    public record Spec(String name, long[] shape, Kind kind) {
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private ModelTensors() {}

    /** How many parameters a model of {@code c} has (a tied head counted once). */
    public static long parameterCount(ModelConfig c) {
        return of(c, "").stream().mapToLong(Spec::elements).sum();
    }

    /** The tensors of {@code c}, each name starting with {@code prefix} ("model." or "language_model.model."). */
    public static List<Spec> of(ModelConfig c, String prefix) {
        long h = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long inter = c.intermediateSize();
        List<Spec> specs = new ArrayList<>();
        specs.add(new Spec(prefix + "embed_tokens.weight", new long[] {c.vocabSize(), h}, Kind.EMBEDDING));
        for (int l = 0; l < c.numLayers(); l++) {
            String p = prefix + "layers." + l + ".";
            specs.add(new Spec(p + "input_layernorm.weight", new long[] {h}, Kind.NORM));
            specs.add(new Spec(p + "self_attn.q_proj.weight", new long[] {q, h}, Kind.MATRIX));
            specs.add(new Spec(p + "self_attn.k_proj.weight", new long[] {kv, h}, Kind.MATRIX));
            specs.add(new Spec(p + "self_attn.v_proj.weight", new long[] {kv, h}, Kind.MATRIX));
            if (c.attentionBias()) {
                specs.add(new Spec(p + "self_attn.q_proj.bias", new long[] {q}, Kind.BIAS));
                specs.add(new Spec(p + "self_attn.k_proj.bias", new long[] {kv}, Kind.BIAS));
                specs.add(new Spec(p + "self_attn.v_proj.bias", new long[] {kv}, Kind.BIAS));
            }
            if (c.qkNorm()) {
                specs.add(new Spec(p + "self_attn.q_norm.weight", new long[] {c.headDim()}, Kind.NORM));
                specs.add(new Spec(p + "self_attn.k_norm.weight", new long[] {c.headDim()}, Kind.NORM));
            }
            specs.add(new Spec(p + "self_attn.o_proj.weight", new long[] {h, q}, Kind.MATRIX));
            if (c.outputProjectionBias()) {
                specs.add(new Spec(p + "self_attn.o_proj.bias", new long[] {h}, Kind.BIAS));
            }
            specs.add(new Spec(p + "post_attention_layernorm.weight", new long[] {h}, Kind.NORM));
            if (c.gemmaNorms()) {
                specs.add(new Spec(p + "pre_feedforward_layernorm.weight", new long[] {h}, Kind.NORM));
                specs.add(new Spec(p + "post_feedforward_layernorm.weight", new long[] {h}, Kind.NORM));
            }
            specs.add(new Spec(p + "mlp.gate_proj.weight", new long[] {inter, h}, Kind.MATRIX));
            specs.add(new Spec(p + "mlp.up_proj.weight", new long[] {inter, h}, Kind.MATRIX));
            specs.add(new Spec(p + "mlp.down_proj.weight", new long[] {h, inter}, Kind.MATRIX));
        }
        specs.add(new Spec(prefix + "norm.weight", new long[] {h}, Kind.NORM));
        if (!c.tieWordEmbeddings()) {
            specs.add(new Spec("lm_head.weight", new long[] {c.vocabSize(), h}, Kind.MATRIX));
        }
        return specs;
    }
}
