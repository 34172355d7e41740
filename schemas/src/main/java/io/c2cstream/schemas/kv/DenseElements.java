package io.c2cstream.schemas.kv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The DENSE payload codec: one key or value tensor, {@code rows} rows of {@code rowLength} elements, to and from a
 * little-endian segment buffer. Plain indexed loops over buffers (no boxing, no temporary arrays) that the JIT
 * compiles to tight code; f32 is a bulk copy.
 */
final class DenseElements {

    private static final float INT8_MAX = 127f;

    private DenseElements() {
    }

    /**
     * Writes {@code src} (from its position, not moved) at {@code valuesOffset}; INT8 also writes one f32 scale per
     * (head, token) row at {@code scalesOffset}. {@code tensorName} names the tensor in errors.
     */
    static void write(SegmentLayout layout, FloatBuffer src, ByteBuffer out, int valuesOffset, int scalesOffset,
                      String tensorName) {
        int base = src.position();
        int rows = layout.rowsPerTensor();
        int rowLength = layout.headDim();
        int elements = rows * rowLength;
        switch (layout.dtype()) {
            case F32 -> floatView(out, valuesOffset, elements).put(src.duplicate());
            case F16 -> {
                for (int i = 0; i < elements; i++) {
                    out.putShort(valuesOffset + 2 * i, HalfFloats.toF16(src.get(base + i)));
                }
            }
            case BF16 -> {
                for (int i = 0; i < elements; i++) {
                    out.putShort(valuesOffset + 2 * i, HalfFloats.toBf16(src.get(base + i)));
                }
            }
            case INT8 -> writeInt8(src, out, valuesOffset, scalesOffset, layout, tensorName);
        }
    }

    /**
     * Reads one tensor written by {@link #write} into {@code dst} (from its position, not moved). INT8 scales must
     * have been validated.
     */
    static void read(SegmentLayout layout, ByteBuffer in, int valuesOffset, int scalesOffset, FloatBuffer dst) {
        int base = dst.position();
        int rows = layout.rowsPerTensor();
        int rowLength = layout.headDim();
        int elements = rows * rowLength;
        switch (layout.dtype()) {
            case F32 -> dst.duplicate().put(floatView(in, valuesOffset, elements));
            case F16 -> {
                for (int i = 0; i < elements; i++) {
                    dst.put(base + i, HalfFloats.fromF16(in.getShort(valuesOffset + 2 * i)));
                }
            }
            case BF16 -> {
                for (int i = 0; i < elements; i++) {
                    dst.put(base + i, HalfFloats.fromBf16(in.getShort(valuesOffset + 2 * i)));
                }
            }
            case INT8 -> readInt8(in, valuesOffset, scalesOffset, layout, dst);
        }
    }

    private static void writeInt8(FloatBuffer src, ByteBuffer out, int valuesOffset, int scalesOffset,
                                  SegmentLayout layout, String tensorName) {
        int base = src.position();
        int rows = layout.rowsPerTensor();
        int rowLength = layout.headDim();
        for (int row = 0; row < rows; row++) {
            int first = base + row * rowLength;
            float absMax = 0f;
            for (int i = 0; i < rowLength; i++) {
                absMax = Math.max(absMax, Math.abs(src.get(first + i)));
            }
            if (!Float.isFinite(absMax)) {
                throw new KvSegmentException(KvSegmentError.NON_FINITE_VALUE, tensorName + " head "
                        + row / layout.tokenCount() + " token " + row % layout.tokenCount() + " holds NaN or infinity,"
                        + " which INT8 cannot represent: encode this cache as F32, F16 or BF16");
            }
            out.putFloat(scalesOffset + Float.BYTES * row, absMax / INT8_MAX);
            // double: 127 / absMax stays finite for subnormal absMax
            double inverse = absMax == 0f ? 0.0 : INT8_MAX / (double) absMax;
            int firstByte = valuesOffset + row * rowLength;
            for (int i = 0; i < rowLength; i++) {
                out.put(firstByte + i, (byte) Math.rint(src.get(first + i) * inverse));
            }
        }
    }

    private static void readInt8(ByteBuffer in, int valuesOffset, int scalesOffset, SegmentLayout layout,
                                 FloatBuffer dst) {
        int base = dst.position();
        int rows = layout.rowsPerTensor();
        int rowLength = layout.headDim();
        for (int row = 0; row < rows; row++) {
            float scale = in.getFloat(scalesOffset + Float.BYTES * row);
            int firstByte = valuesOffset + row * rowLength;
            int first = base + row * rowLength;
            for (int i = 0; i < rowLength; i++) {
                dst.put(first + i, in.get(firstByte + i) * scale);
            }
        }
    }

    private static FloatBuffer floatView(ByteBuffer buffer, int offset, int elements) {
        return buffer.duplicate().position(offset).limit(offset + elements * Float.BYTES).slice()
                .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }
}
