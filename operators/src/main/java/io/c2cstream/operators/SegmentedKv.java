package io.c2cstream.operators;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.c2cstream.engine.model.KvSource;
import io.c2cstream.schemas.kv.KvSlice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sharer's cache as it arrives at the receiver: decoded segments kept per layer as token blocks, read back as
 * tensors over any token range they cover. Heap-side Java buffers only; tensors are created per read, in the
 * caller's scope.
 */
final class SegmentedKv implements KvSource {
    private record Block(int from, int to, FloatBuffer keys, FloatBuffer values) {}

    private final int kvHeads;
    private final int headDim;
    private final Map<Integer, List<Block>> layers = new HashMap<>();
    private long bytes;

    SegmentedKv(int kvHeads, int headDim) {
        this.kvHeads = kvHeads;
        this.headDim = headDim;
    }

    void add(KvSlice slice) {
        if (slice.kvHeads() != kvHeads || slice.headDim() != headDim) {
            throw new IllegalArgumentException("segment has " + slice.kvHeads() + "×" + slice.headDim()
                    + " heads, the sharer model " + kvHeads + "×" + headDim + ": sender and receiver disagree on the model");
        }
        int to = slice.tokenStart() + slice.tokenCount();
        for (int i = 0; i < slice.layerCount(); i++) {
            layers.computeIfAbsent(slice.layerStart() + i, l -> new ArrayList<>())
                    .add(new Block(slice.tokenStart(), to, slice.keyFloats(i), slice.valueFloats(i)));
        }
        bytes += 2L * slice.layerCount() * slice.tensorElements() * Float.BYTES;
    }

    /** Whether every column of {@code [from, to)} of {@code layer} has arrived. */
    boolean covers(int layer, int from, int to) {
        List<Block> blocks = layers.getOrDefault(layer, List.of());
        int at = from;
        boolean advanced = true;
        while (at < to && advanced) {
            advanced = false;
            for (Block b : blocks) {
                if (b.from() <= at && at < b.to()) {
                    at = b.to();
                    advanced = true;
                }
            }
        }
        return at >= to;
    }

    /** Heap bytes held, for the receiver's in-flight accounting. */
    long bytes() {
        return bytes;
    }

    @Override
    public NDArray readKeys(int layer, int from, int to, NDManager into) {
        return read(layer, from, to, into, true);
    }

    @Override
    public NDArray readValues(int layer, int from, int to, NDManager into) {
        return read(layer, from, to, into, false);
    }

    /** Assembles {@code [1, kvHeads, to-from, headDim]} from the blocks that cover the range. */
    private NDArray read(int layer, int from, int to, NDManager into, boolean keys) {
        if (!covers(layer, from, to)) {
            throw new IllegalStateException("sharer layer " + layer + " columns [" + from + ", " + to
                    + ") have not all arrived");
        }
        int tokens = to - from;
        FloatBuffer out = ByteBuffer.allocateDirect(kvHeads * tokens * headDim * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (Block b : layers.get(layer)) {
            int lo = Math.max(from, b.from());
            int hi = Math.min(to, b.to());
            FloatBuffer src = keys ? b.keys() : b.values();
            int blockTokens = b.to() - b.from();
            for (int h = 0; h < kvHeads && lo < hi; h++) {
                int srcAt = src.position() + (h * blockTokens + lo - b.from()) * headDim;
                int dstAt = (h * tokens + lo - from) * headDim;
                out.put(dstAt, src, srcAt, (hi - lo) * headDim);
            }
        }
        return into.create(out, new Shape(1, kvHeads, tokens, headDim));
    }
}
