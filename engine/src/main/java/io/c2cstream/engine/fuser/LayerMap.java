package io.c2cstream.engine.fuser;

import java.util.List;

/**
 * Which sharer layers feed each receiver layer (method §2), and through which projector.
 *
 * <p>A receiver layer may list several sources, best first, but the runtime fuses only the first
 * (method §4.1); a layer with no source is not fused. Checkpoints carry their map in {@code
 * projector_config.json} ({@link LayerMapJson}); load it from there rather than recomputing it.
 */
public interface LayerMap {

    /** Number of receiver layers the map covers. */
    int receiverLayers();

    /**
     * The sources of a receiver layer, best first; empty when the layer is not fused.
     *
     * @throws IndexOutOfBoundsException when {@code receiverLayer} is not in {@code [0, receiverLayers())}
     */
    List<LayerSource> sources(int receiverLayer);

    /** The sharer layer of each receiver layer's first source, or -1 where a layer is not fused. */
    default int[] firstSharerLayers() {
        int[] layers = new int[receiverLayers()];
        for (int t = 0; t < layers.length; t++) {
            List<LayerSource> sources = sources(t);
            layers[t] = sources.isEmpty() ? -1 : sources.get(0).sharerLayer();
        }
        return layers;
    }

    /**
     * The map a training recipe names in its {@code mapping} field.
     *
     * @param mapping {@code "last_aligned"} or {@code "k_nearest"}
     * @param sourcesPerLayer sources per receiver layer (K; the reference always uses 1)
     * @throws IllegalArgumentException for any other name
     */
    static LayerMap named(String mapping, int receiverLayers, int sharerLayers, int sourcesPerLayer) {
        return switch (mapping) {
            case "last_aligned" -> new LastAlignedLayerMap(receiverLayers, sharerLayers, sourcesPerLayer);
            case "k_nearest" -> new KNearestLayerMap(receiverLayers, sharerLayers, sourcesPerLayer);
            default -> throw new IllegalArgumentException(
                    "unknown layer mapping \"" + mapping + "\": use \"last_aligned\" or \"k_nearest\"");
        };
    }
}
