package io.c2cstream.operators;

import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.model.KvSource;
import io.c2cstream.schemas.kv.KvSlice;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Copies a layer group × token block of a cache out of native memory into a {@link KvSlice} for the codec. */
final class CacheSlices {
    private CacheSlices() {}

    static KvSlice read(KvSource cache, SegmentPlan.Piece piece, int kvHeads, int headDim, NDManager scope) {
        List<ByteBuffer> keys = new ArrayList<>();
        List<ByteBuffer> values = new ArrayList<>();
        for (int l = piece.layerStart(); l < piece.layerStart() + piece.layerCount(); l++) {
            // [1, kvHeads, tokens, headDim] as a direct buffer of native-order floats in that row-major order
            keys.add(cache.readKeys(l, piece.from(), piece.to(), scope).toByteBuffer());
            values.add(cache.readValues(l, piece.from(), piece.to(), scope).toByteBuffer());
        }
        return new KvSlice(piece.layerStart(), piece.from(), piece.to() - piece.from(), kvHeads, headDim, keys, values);
    }
}
