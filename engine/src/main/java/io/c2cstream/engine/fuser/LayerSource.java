package io.c2cstream.engine.fuser;

/**
 * One source of a fused receiver layer: the sharer layer whose KV-cache is projected, and the
 * projector that does it (method §1.9: {@code [<sharer_layer>, <projector_index>]}).
 *
 * @param sharerLayer 0-based sharer layer
 * @param projectorIndex index of the projector in the checkpoint ({@code final/projector_{i}.pt})
 */
public record LayerSource(int sharerLayer, int projectorIndex) {

    public LayerSource {
        if (sharerLayer < 0 || projectorIndex < 0) {
            throw new IllegalArgumentException(
                    "sharer layer and projector index must be >= 0, got " + sharerLayer + " and " + projectorIndex);
        }
    }
}
