package io.c2cstream.engine.fuser;

/** Argument checks shared by the computed layer maps. */
final class LayerCounts {

    private LayerCounts() {}

    static void check(int receiverLayers, int sharerLayers, int sourcesPerLayer) {
        if (receiverLayers < 1 || sharerLayers < 1) {
            throw new IllegalArgumentException("both models need at least one layer, got receiver "
                    + receiverLayers + " and sharer " + sharerLayers);
        }
        if (sourcesPerLayer < 1 || sourcesPerLayer > sharerLayers) {
            throw new IllegalArgumentException("sources per layer must be in [1, " + sharerLayers
                    + "] (the sharer's layer count), got " + sourcesPerLayer);
        }
    }

    static void checkReceiverLayer(int receiverLayer, int receiverLayers) {
        if (receiverLayer < 0 || receiverLayer >= receiverLayers) {
            throw new IndexOutOfBoundsException(
                    "receiver layer " + receiverLayer + " is outside [0, " + receiverLayers + ")");
        }
    }
}
