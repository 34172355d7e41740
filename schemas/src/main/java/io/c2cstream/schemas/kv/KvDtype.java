package io.c2cstream.schemas.kv;

/** Element type of a KV segment's payload. The wire id is the byte stored in the segment header. */
public enum KvDtype {
    /** IEEE binary32, lossless. */
    F32(1, Float.BYTES),
    /** IEEE binary16, rounded to nearest even; magnitudes above 65504 become infinite. */
    F16(2, Short.BYTES),
    /** bfloat16 (the upper half of a binary32), rounded to nearest even; the models' native cache dtype. */
    BF16(3, Short.BYTES),
    /**
     * Signed 8-bit, symmetric: one f32 scale {@code absmax / 127} per (layer, K or V, head, token) row of
     * {@code headDim} elements; an element decodes to {@code q * scale}, within {@code scale / 2} of the original.
     */
    INT8(4, Byte.BYTES);

    private final int wireId;
    private final int bytesPerElement;

    KvDtype(int wireId, int bytesPerElement) {
        this.wireId = wireId;
        this.bytesPerElement = bytesPerElement;
    }

    /** The byte identifying this dtype in a segment header. */
    public int wireId() {
        return wireId;
    }

    /** Payload bytes per tensor element, scales excluded. */
    public int bytesPerElement() {
        return bytesPerElement;
    }

    /** Whether the payload carries per-row scales. */
    public boolean quantized() {
        return this == INT8;
    }

    /**
     * Segment payload bytes per token per layer, keys and values and INT8 scales included: the cost of shipping a
     * cache of this geometry (segment headers, amortized over a token block, excluded).
     */
    public double bytesPerTokenPerLayer(int kvHeads, int headDim) {
        double perElement = bytesPerElement + (quantized() ? (double) Float.BYTES / headDim : 0);
        return 2.0 * kvHeads * headDim * perElement;
    }

    /** The dtype with this wire id, or null when the id is unknown to this version. */
    static KvDtype fromWireId(int wireId) {
        for (KvDtype dtype : values()) {
            if (dtype.wireId == wireId) {
                return dtype;
            }
        }
        return null;
    }
}
