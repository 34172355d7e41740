package io.c2cstream.engine.fuser;

import java.util.ArrayList;
import java.util.List;

/**
 * Terminal alignment, the map of every reference recipe (method §2.1): the last receiver layer reads
 * the last sharer layer, and so on backwards; receiver layers beyond the sharer's depth all read
 * sharer layer 0. Every receiver layer has its own projector ({@code projectorIndex = t}).
 *
 * <p>With {@code offset = S - T} the first source of receiver layer {@code t} is {@code s0 =
 * clamp(offset + t, 0, S - 1)}. Further sources (K &gt; 1) continue downwards {@code s0 - 1, s0 - 2,
 * ... 0}, then upwards {@code s0 + 1, ...}, until there are K.
 */
public record LastAlignedLayerMap(int receiverLayers, int sharerLayers, int sourcesPerLayer) implements LayerMap {

    public LastAlignedLayerMap {
        LayerCounts.check(receiverLayers, sharerLayers, sourcesPerLayer);
    }

    /** The K = 1 map the runtime uses. */
    public LastAlignedLayerMap(int receiverLayers, int sharerLayers) {
        this(receiverLayers, sharerLayers, 1);
    }

    @Override
    public List<LayerSource> sources(int receiverLayer) {
        LayerCounts.checkReceiverLayer(receiverLayer, receiverLayers);
        int first = Math.min(Math.max(sharerLayers - receiverLayers + receiverLayer, 0), sharerLayers - 1);
        List<LayerSource> sources = new ArrayList<>(sourcesPerLayer);
        for (int s = first; s >= 0 && sources.size() < sourcesPerLayer; s--) {
            sources.add(new LayerSource(s, receiverLayer));
        }
        for (int s = first + 1; sources.size() < sourcesPerLayer; s++) {
            sources.add(new LayerSource(s, receiverLayer));
        }
        return List.copyOf(sources);
    }
}
