package io.c2cstream.schemas.kv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A layer group x token block of one model's KV cache: for each layer, keys and values of shape
 * {@code [batch = 1, kvHeads, tokenCount, headDim]}, row-major f32 in the platform's native byte order, one buffer
 * per tensor. Element {@code (h, t, d)} of a tensor is the float at byte
 * {@code buffer.position() + 4 * ((h * tokenCount + t) * headDim + d)}; each buffer's remaining bytes are exactly
 * {@code 4 * }{@link #tensorElements()}. A buffer's own byte-order setting is ignored: the bytes are native-order
 * floats, as a tensor library hands them over.
 *
 * <p>Plain Java so that the wire contracts need no tensor library: the engine wraps its arrays' bytes (or copies
 * them into direct buffers). Bytes rather than {@code FloatBuffer}s because SIMD loads and stores reach a byte
 * buffer and not a float view of one; {@link #keyFloats} and {@link #valueFloats} give the float views. The codec
 * reads and writes buffers with absolute indexing and never moves their positions.
 *
 * @param layerStart first layer of the slice (0-based)
 * @param tokenStart first token position of the slice (0-based)
 * @param tokenCount token positions in the slice
 * @param kvHeads key/value heads per layer
 * @param headDim elements per head
 * @param keys key tensors, one per layer, {@code keys.get(i)} for layer {@code layerStart + i}
 * @param values value tensors, one per layer, same order as {@code keys}
 */
public record KvSlice(int layerStart, int tokenStart, int tokenCount, int kvHeads, int headDim,
                      List<ByteBuffer> keys, List<ByteBuffer> values) {

    public KvSlice {
        requireAtLeast("layerStart", layerStart, 0);
        requireAtLeast("tokenStart", tokenStart, 0);
        requireAtLeast("tokenCount", tokenCount, 1);
        requireAtLeast("kvHeads", kvHeads, 1);
        requireAtLeast("headDim", headDim, 1);
        keys = List.copyOf(keys);
        values = List.copyOf(values);
        if (keys.isEmpty() || keys.size() != values.size()) {
            throw new IllegalArgumentException("a slice needs one key and one value tensor per layer, at least one"
                    + " layer; got " + keys.size() + " key and " + values.size() + " value tensors");
        }
        long elements = (long) kvHeads * tokenCount * headDim;
        if (elements > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalArgumentException("tensor of " + kvHeads + " x " + tokenCount + " x " + headDim
                    + " elements is too large for one segment: cut the token block smaller");
        }
        for (int i = 0; i < keys.size(); i++) {
            requireElements("keys", layerStart + i, keys.get(i), elements);
            requireElements("values", layerStart + i, values.get(i), elements);
        }
    }

    /**
     * A zero-filled slice backed by direct, native-order buffers (the fastest for the codec).
     *
     * @param layerCount number of layers, at least one
     */
    public static KvSlice allocate(int layerStart, int layerCount, int tokenStart, int tokenCount, int kvHeads,
                                   int headDim) {
        requireAtLeast("layerCount", layerCount, 1);
        int elements = Math.multiplyExact(Math.multiplyExact(kvHeads, tokenCount), headDim);
        List<ByteBuffer> keys = new ArrayList<>(layerCount);
        List<ByteBuffer> values = new ArrayList<>(layerCount);
        for (int i = 0; i < layerCount; i++) {
            keys.add(ByteBuffer.allocateDirect(elements * Float.BYTES).order(ByteOrder.nativeOrder()));
            values.add(ByteBuffer.allocateDirect(elements * Float.BYTES).order(ByteOrder.nativeOrder()));
        }
        return new KvSlice(layerStart, tokenStart, tokenCount, kvHeads, headDim, keys, values);
    }

    /** The keys of layer {@code layerStart + index} as floats (a view from the buffer's position). */
    public FloatBuffer keyFloats(int index) {
        return floats(keys.get(index));
    }

    /** The values of layer {@code layerStart + index} as floats (a view from the buffer's position). */
    public FloatBuffer valueFloats(int index) {
        return floats(values.get(index));
    }

    /** Native-order floats from {@code tensor}'s position to its limit. */
    static FloatBuffer floats(ByteBuffer tensor) {
        return tensor.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Number of layers. */
    public int layerCount() {
        return keys.size();
    }

    /** Elements in one key or value tensor: {@code kvHeads * tokenCount * headDim}. */
    public int tensorElements() {
        return kvHeads * tokenCount * headDim;
    }

    /** Whether {@code other} covers the same layers, tokens and geometry (contents aside). */
    public boolean sameShape(KvSlice other) {
        return layerStart == other.layerStart && layerCount() == other.layerCount() && tokenStart == other.tokenStart
                && tokenCount == other.tokenCount && kvHeads == other.kvHeads && headDim == other.headDim;
    }

    private static void requireAtLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", got " + value);
        }
    }

    private static void requireElements(String kind, int layer, ByteBuffer buffer, long elements) {
        Objects.requireNonNull(buffer, kind + " tensor of layer " + layer);
        if (buffer.remaining() != elements * Float.BYTES) {
            throw new IllegalArgumentException(kind + " tensor of layer " + layer + " has " + buffer.remaining()
                    + " remaining bytes, expected 4 bytes for each of kvHeads x tokenCount x headDim = " + elements
                    + " floats");
        }
    }
}
