package io.c2cstream.schemas.kv;

import java.nio.ByteBuffer;

/**
 * Decoding straight from a segment's little-endian payload into a tensor's native-order floats, {@code n} elements
 * from the given byte offsets, with no staging arrays between: what kernels that load and store SIMD lanes in byte
 * buffers ({@link VectorKernels}) offer on top of {@link ElementKernels}, bit for bit the same results. Decoding
 * gains the most from it: staged, a segment's floats were written twice, once into L1 and once out of it. The
 * segment buffer must be set to little-endian order and the tensor buffer to native order (a range's last elements,
 * fewer than a vector, go through the buffers' own accessors).
 */
interface BufferDecoding {

    /** f16 to f32, each element as {@link HalfFloats#fromF16(short)}. */
    void fromF16(ByteBuffer segment, int segmentOffset, ByteBuffer tensor, int tensorOffset, int n);

    /** bf16 to f32, each element as {@link HalfFloats#fromBf16(short)}. */
    void fromBf16(ByteBuffer segment, int segmentOffset, ByteBuffer tensor, int tensorOffset, int n);

    /** Each signed byte times {@code scale}. */
    void dequantize(ByteBuffer segment, int segmentOffset, ByteBuffer tensor, int tensorOffset, int n, float scale);
}
