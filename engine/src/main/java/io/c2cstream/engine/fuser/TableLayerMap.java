package io.c2cstream.engine.fuser;

import java.util.List;

/** A layer map given as an explicit table, as read from a checkpoint's {@code projector_config.json}. */
final class TableLayerMap implements LayerMap {

    private final List<List<LayerSource>> sourcesByReceiverLayer;

    TableLayerMap(List<List<LayerSource>> sourcesByReceiverLayer) {
        this.sourcesByReceiverLayer = sourcesByReceiverLayer.stream().map(List::copyOf).toList();
    }

    @Override
    public int receiverLayers() {
        return sourcesByReceiverLayer.size();
    }

    @Override
    public List<LayerSource> sources(int receiverLayer) {
        LayerCounts.checkReceiverLayer(receiverLayer, receiverLayers());
        return sourcesByReceiverLayer.get(receiverLayer);
    }
}
