package io.c2cstream.engine.fuser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The constructor arguments of one C2C projector (method §1.7), under the reference's {@code init_args}
 * names so that {@code projector_{i}.json} files read both ways.
 *
 * @param sharerHeads      Hs, sharer KV heads ({@code source_num_heads})
 * @param sharerHeadDim    Ds ({@code source_dim})
 * @param receiverHeads    Ht, receiver KV heads ({@code target_num_heads})
 * @param receiverHeadDim  Dt ({@code target_dim})
 * @param hiddenDim        Hid, width of the trunk ({@code hidden_dim})
 * @param intermediateDim  Int, width inside the trunk and projection FFN blocks ({@code intermediate_dim})
 * @param numLayers        L ≥ 3: one trunk block, L−2 projection blocks ({@code num_layers})
 * @param dropout          training-only dropout after each FFN block
 * @param initialTemperature T0 of the Gumbel gate annealing
 * @param finalTemperature   T1
 * @param annealSteps        optimizer steps over which T goes from T0 to T1
 */
public record ProjectorConfig(int sharerHeads, int sharerHeadDim, int receiverHeads, int receiverHeadDim,
                              int hiddenDim, int intermediateDim, int numLayers, double dropout,
                              double initialTemperature, double finalTemperature, int annealSteps) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ProjectorConfig {
        positive("source_num_heads", sharerHeads);
        positive("source_dim", sharerHeadDim);
        positive("target_num_heads", receiverHeads);
        positive("target_dim", receiverHeadDim);
        positive("hidden_dim", hiddenDim);
        positive("intermediate_dim", intermediateDim);
        if (numLayers < 3) {
            throw new IllegalArgumentException("projector key 'num_layers' must be at least 3 (one trunk block,"
                    + " one or more projection blocks), got " + numLayers);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("projector key 'dropout' must be in [0, 1), got " + dropout);
        }
        if (!(initialTemperature > 0 && finalTemperature > 0)) {
            throw new IllegalArgumentException("projector keys 'initial_temperature' and 'final_temperature' must be"
                    + " positive, got " + initialTemperature + " and " + finalTemperature);
        }
        positive("anneal_steps", annealSteps);
    }

    /** The recipe's defaults (method §1.7) for a given geometry. */
    public static ProjectorConfig reference(int sharerHeads, int sharerHeadDim, int receiverHeads, int receiverHeadDim,
                                            int hiddenDim, int intermediateDim) {
        return new ProjectorConfig(sharerHeads, sharerHeadDim, receiverHeads, receiverHeadDim, hiddenDim, intermediateDim,
                3, 0.1, 1.0, 0.001, 1929);
    }

    /** Ein = Hs·Ds, the flattened sharer width per token. */
    public int sharerWidth() {
        return sharerHeads * sharerHeadDim;
    }

    /** Eout = Ht·Dt, the flattened receiver width per token. */
    public int receiverWidth() {
        return receiverHeads * receiverHeadDim;
    }

    /** The reference's {@code init_args} object. */
    public ObjectNode toInitArgs() {
        ObjectNode n = JSON.createObjectNode();
        n.put("source_dim", sharerHeadDim).put("source_num_heads", sharerHeads);
        n.put("target_dim", receiverHeadDim).put("target_num_heads", receiverHeads);
        n.put("hidden_dim", hiddenDim).put("intermediate_dim", intermediateDim).put("num_layers", numLayers);
        n.put("dropout", dropout).put("initial_temperature", initialTemperature)
                .put("final_temperature", finalTemperature).put("anneal_steps", annealSteps);
        return n;
    }

    /** Reads {@code init_args}; a missing or bad key is named. */
    public static ProjectorConfig fromInitArgs(JsonNode n) {
        return new ProjectorConfig(integer(n, "source_num_heads"), integer(n, "source_dim"),
                integer(n, "target_num_heads"), integer(n, "target_dim"), integer(n, "hidden_dim"),
                integer(n, "intermediate_dim"), n.path("num_layers").asInt(3), n.path("dropout").asDouble(0.1),
                n.path("initial_temperature").asDouble(1.0), n.path("final_temperature").asDouble(0.001),
                n.path("anneal_steps").asInt(1929));
    }

    private static int integer(JsonNode n, String key) {
        if (!n.path(key).canConvertToInt()) {
            throw new IllegalArgumentException("projector init_args lack integer key '" + key + "'");
        }
        return n.path(key).asInt();
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("projector key '" + key + "' must be positive, got " + value);
        }
    }
}
