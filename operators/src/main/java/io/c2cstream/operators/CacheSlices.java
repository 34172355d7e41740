package io.c2cstream.operators;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.model.KvSource;
import io.c2cstream.schemas.kv.KvSlice;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/** Copies a layer group × token block of a cache out of native memory into a {@link KvSlice} for the codec. */
final class CacheSlices {
    private CacheSlices() {}

    static KvSlice read(KvSource cache, SegmentPlan.Piece piece, int kvHeads, int headDim, NDManager scope) {
        List<FloatBuffer> keys = new ArrayList<>();
        List<FloatBuffer> values = new ArrayList<>();
        for (int l = piece.layerStart(); l < piece.layerStart() + piece.layerCount(); l++) {
            keys.add(floats(cache.readKeys(l, piece.from(), piece.to(), scope)));
            values.add(floats(cache.readValues(l, piece.from(), piece.to(), scope)));
        }
        return new KvSlice(piece.layerStart(), piece.from(), piece.to() - piece.from(), kvHeads, headDim, keys, values);
    }

    /** [1, kvHeads, tokens, headDim] as a direct buffer in that row-major order. */
    private static FloatBuffer floats(NDArray array) {
        return array.toByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
