package io.c2cstream.engine.model;

/**
 * The {@code rope_scaling} block of config.json, for the types the engine implements.
 *
 * @param type                           "llama3" (frequency-dependent) or "linear" (positions divided by factor)
 * @param originalMaxPositionEmbeddings  llama3 only: the context the base model was trained on
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositionEmbeddings) {

    /** Applies the scaling to the per-pair inverse frequencies {@code 1/θ^(2i/d)}, as Hugging Face does. */
    float[] scale(float[] invFreq) {
        float[] out = invFreq.clone();
        switch (type) {
            case "linear" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (out[i] / factor);
                }
            }
            case "llama3" -> {
                double lowFreqWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
                double highFreqWavelen = originalMaxPositionEmbeddings / highFreqFactor;
                for (int i = 0; i < out.length; i++) {
                    double wavelen = 2 * Math.PI / invFreq[i];
                    float scaled = wavelen > lowFreqWavelen ? (float) (invFreq[i] / factor) : invFreq[i];
                    boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
                    if (medium) {
                        double smooth = (originalMaxPositionEmbeddings / wavelen - lowFreqFactor)
                                / (highFreqFactor - lowFreqFactor);
                        scaled = (float) ((1 - smooth) * scaled / factor + smooth * scaled);
                    }
                    out[i] = scaled;
                }
            }
            default -> throw new IllegalStateException("unreachable: rope type " + type);
        }
        return out;
    }
}
