package io.c2cstream.engine.fuser;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Nearest relative depth (method §2.2; no reference recipe uses it): receiver layer {@code t} and
 * sharer layer {@code s} sit at {@code t / (T - 1)} and {@code s / (S - 1)} on [0, 1], and each
 * receiver layer reads the K sharer layers closest to it, nearest first, ties to the lower index.
 * Every receiver layer has its own projector ({@code projectorIndex = t}).
 */
public record KNearestLayerMap(int receiverLayers, int sharerLayers, int sourcesPerLayer) implements LayerMap {

    public KNearestLayerMap {
        LayerCounts.check(receiverLayers, sharerLayers, sourcesPerLayer);
    }

    /** The K = 1 map. */
    public KNearestLayerMap(int receiverLayers, int sharerLayers) {
        this(receiverLayers, sharerLayers, 1);
    }

    @Override
    public List<LayerSource> sources(int receiverLayer) {
        LayerCounts.checkReceiverLayer(receiverLayer, receiverLayers);
        double depth = relativeDepth(receiverLayer, receiverLayers);
        // A stable sort keeps equally distant layers in index order: ties go to the lower layer.
        return IntStream.range(0, sharerLayers)
                .boxed()
                .sorted(Comparator.comparingDouble(s -> Math.abs(relativeDepth(s, sharerLayers) - depth)))
                .limit(sourcesPerLayer)
                .map(s -> new LayerSource(s, receiverLayer))
                .toList();
    }

    /** Position of a layer on [0, 1]; a single-layer model sits at 0. */
    private static double relativeDepth(int layer, int layers) {
        return layers == 1 ? 0.0 : (double) layer / (layers - 1);
    }
}
