package io.c2cstream.schemas.kv;

/**
 * Byte offsets of one segment, format version 1 (all integers little-endian; table in docs/wire-contracts.md).
 * Computed in long arithmetic so that a corrupt header cannot overflow its way into a plausible length.
 *
 * @param dtype payload element type
 * @param layerCount layers in the segment
 * @param tokenCount token positions in the segment
 * @param kvHeads key/value heads per layer
 * @param headDim elements per head
 * @param scalesOffset first byte of the INT8 scales (equals payloadOffset for float dtypes)
 * @param payloadOffset first byte of the tensor elements, 8-byte aligned
 * @param totalLength bytes of the whole segment, checksum included
 */
record SegmentLayout(KvDtype dtype, int layerCount, int tokenCount, int kvHeads, int headDim, int scalesOffset,
                     int payloadOffset, long totalLength) {

    static final int MAGIC = 0x564B_3243; // "C2KV" read little-endian
    static final int OFFSET_MAGIC = 0;
    static final int OFFSET_VERSION = 4;
    static final int OFFSET_CODEC = 5;
    static final int OFFSET_DTYPE = 6;
    static final int OFFSET_FLAGS = 7;
    static final int OFFSET_LENGTH = 8;
    static final int OFFSET_LAYER_START = 12;
    static final int OFFSET_LAYER_COUNT = 16;
    static final int OFFSET_TOKEN_START = 20;
    static final int OFFSET_TOKEN_COUNT = 24;
    static final int OFFSET_KV_HEADS = 28;
    static final int OFFSET_HEAD_DIM = 32;
    static final int OFFSET_SEGMENT_INDEX = 36;
    static final int OFFSET_SEGMENT_COUNT = 40;
    static final int OFFSET_REQUEST_ID_LENGTH = 44;
    static final int OFFSET_MODEL_ID_LENGTH = 46;
    static final int OFFSET_IDS = 48;
    static final int CHECKSUM_BYTES = 4;
    /** The smallest segment: fixed header and checksum (no valid segment is this small, but none is smaller). */
    static final int MIN_LENGTH = OFFSET_IDS + CHECKSUM_BYTES;

    static SegmentLayout of(KvDtype dtype, int layerCount, int tokenCount, int kvHeads, int headDim,
                            int requestIdBytes, int modelIdBytes) {
        long scalesOffset = align8((long) OFFSET_IDS + requestIdBytes + modelIdBytes);
        long rows = (long) layerCount * 2 * kvHeads * tokenCount;
        long payloadOffset = scalesOffset + (dtype.quantized() ? rows * Float.BYTES : 0);
        long total = payloadOffset + rows * headDim * dtype.bytesPerElement() + CHECKSUM_BYTES;
        // offsets of a valid segment fit in an int; an invalid one is rejected on totalLength alone
        return new SegmentLayout(dtype, layerCount, tokenCount, kvHeads, headDim, (int) Math.min(scalesOffset,
                Integer.MAX_VALUE), (int) Math.min(payloadOffset, Integer.MAX_VALUE), total);
    }

    /** Rows ({@code headDim} elements, one scale each when quantized) in one key or value tensor. */
    int rowsPerTensor() {
        return kvHeads * tokenCount;
    }

    /** Payload bytes of one key or value tensor. */
    int tensorBytes() {
        return rowsPerTensor() * headDim * dtype.bytesPerElement();
    }

    /** Byte offset of the CRC32C. */
    int checksumOffset() {
        return (int) (totalLength - CHECKSUM_BYTES);
    }

    private static long align8(long offset) {
        return (offset + 7) & ~7L;
    }
}
