package io.c2cstream.schemas.kv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * The DENSE payload codec: one key or value tensor, {@code rows} rows of {@code headDim} elements, to and from a
 * little-endian segment buffer. f32 is a bulk copy. Encoding stages a chunk of elements in small primitive arrays
 * (bulk buffer transfers in and out, a conversion kernel between): an order of magnitude faster than element-wise
 * buffer access, which pays index and bounds checks per element. Decoding runs the vector kernels straight from the
 * segment into the tensor ({@link BufferDecoding}); the scalar ones stage too. No boxing anywhere.
 */
final class DenseElements {

    /** Elements staged per chunk: small enough for L1, large enough to amortize the bulk transfers. */
    private static final int CHUNK = 4096;
    private static final float INT8_MAX = 127f;

    /**
     * The conversions: in SIMD lanes when the JVM runs with {@code --add-modules jdk.incubator.vector} on a CPU with
     * vectors of 256 bits or more, else the scalar code (the same bits, several times slower: Java 17's C2 does not
     * vectorize those loops).
     */
    static final ElementKernels KERNELS = selectKernels();
    /** The kernels' buffer-to-buffer decoding where they have it (the vector ones), else null. */
    private static final BufferDecoding DIRECT = KERNELS instanceof BufferDecoding direct ? direct : null;

    /** Staging arrays per thread: allocating them per tensor cost a third of the conversion time. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private DenseElements() {
    }

    private static ElementKernels selectKernels() {
        // VectorKernels links against the module: touched without it, it would throw NoClassDefFoundError
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && VectorKernels.suitsThisCpu()) {
            return new VectorKernels();
        }
        return new ScalarKernels();
    }

    /**
     * Writes {@code src} (from its position, not moved) at {@code valuesOffset}; INT8 also writes one f32 scale per
     * (head, token) row at {@code scalesOffset}. {@code tensorName} names the tensor in errors.
     */
    static void write(SegmentLayout layout, FloatBuffer src, ByteBuffer out, int valuesOffset, int scalesOffset,
                      String tensorName) {
        int elements = layout.rowsPerTensor() * layout.headDim();
        switch (layout.dtype()) {
            case F32 -> floatView(out, valuesOffset, elements).put(src.duplicate());
            case F16 -> writeF16(src.duplicate(), shortView(out, valuesOffset, elements), elements);
            case BF16 -> writeBf16(src.duplicate(), shortView(out, valuesOffset, elements), elements);
            case INT8 -> writeInt8(src.duplicate(), out, valuesOffset, scalesOffset, layout, tensorName);
        }
    }

    /**
     * Reads one tensor written by {@link #write} into {@code dst}'s native-order floats (from its position, not
     * moved). {@code in} is little-endian; INT8 scales must have been validated.
     */
    static void read(SegmentLayout layout, ByteBuffer in, int valuesOffset, int scalesOffset, ByteBuffer dst) {
        int elements = layout.rowsPerTensor() * layout.headDim();
        if (DIRECT != null && layout.dtype() != KvDtype.F32) {
            ByteBuffer tensor = dst.duplicate().order(ByteOrder.nativeOrder());
            int at = tensor.position();
            switch (layout.dtype()) {
                case F16 -> DIRECT.fromF16(in, valuesOffset, tensor, at, elements);
                case BF16 -> DIRECT.fromBf16(in, valuesOffset, tensor, at, elements);
                case INT8 -> {
                    int headDim = layout.headDim();
                    for (int row = 0; row < layout.rowsPerTensor(); row++) {
                        DIRECT.dequantize(in, valuesOffset + row * headDim, tensor, at + row * headDim * Float.BYTES,
                                headDim, in.getFloat(scalesOffset + row * Float.BYTES));
                    }
                }
                default -> throw new AssertionError(layout.dtype());
            }
            return;
        }
        FloatBuffer floats = KvSlice.floats(dst);
        switch (layout.dtype()) {
            case F32 -> floats.put(floatView(in, valuesOffset, elements));
            case F16 -> readF16(shortView(in, valuesOffset, elements), floats, elements);
            case BF16 -> readBf16(shortView(in, valuesOffset, elements), floats, elements);
            case INT8 -> readInt8(in, valuesOffset, scalesOffset, layout, floats);
        }
    }

    // One method per dtype, not a flag: each loop stays small enough for C2 to unroll. Each loop stages its next
    // chunk at the end of an iteration, after the conversion, not at the start: with a bulk buffer transfer between
    // the loop head and the (inlined) vector kernel, C2 of JDK 17 reloaded the kernel's vector constants from the
    // stack on every step, which made the whole tensor 1.7x slower.

    private static void writeF16(FloatBuffer src, ShortBuffer out, int elements) {
        Scratch scratch = SCRATCH.get();
        float[] floats = scratch.floats;
        short[] halves = scratch.shorts;
        src.get(floats, 0, Math.min(CHUNK, elements));
        for (int done = 0; done < elements; done += CHUNK) {
            int n = Math.min(CHUNK, elements - done);
            KERNELS.toF16(floats, halves, 0, n);
            out.put(halves, 0, n);
            src.get(floats, 0, Math.min(CHUNK, elements - done - n));
        }
    }

    private static void writeBf16(FloatBuffer src, ShortBuffer out, int elements) {
        Scratch scratch = SCRATCH.get();
        float[] floats = scratch.floats;
        short[] halves = scratch.shorts;
        src.get(floats, 0, Math.min(CHUNK, elements));
        for (int done = 0; done < elements; done += CHUNK) {
            int n = Math.min(CHUNK, elements - done);
            KERNELS.toBf16(floats, halves, 0, n);
            out.put(halves, 0, n);
            src.get(floats, 0, Math.min(CHUNK, elements - done - n));
        }
    }

    private static void readF16(ShortBuffer in, FloatBuffer dst, int elements) {
        Scratch scratch = SCRATCH.get();
        float[] floats = scratch.floats;
        short[] halves = scratch.shorts;
        in.get(halves, 0, Math.min(CHUNK, elements));
        for (int done = 0; done < elements; done += CHUNK) {
            int n = Math.min(CHUNK, elements - done);
            KERNELS.fromF16(halves, floats, 0, n);
            dst.put(floats, 0, n);
            in.get(halves, 0, Math.min(CHUNK, elements - done - n));
        }
    }

    private static void readBf16(ShortBuffer in, FloatBuffer dst, int elements) {
        Scratch scratch = SCRATCH.get();
        float[] floats = scratch.floats;
        short[] halves = scratch.shorts;
        in.get(halves, 0, Math.min(CHUNK, elements));
        for (int done = 0; done < elements; done += CHUNK) {
            int n = Math.min(CHUNK, elements - done);
            KERNELS.fromBf16(halves, floats, 0, n);
            dst.put(floats, 0, n);
            in.get(halves, 0, Math.min(CHUNK, elements - done - n));
        }
    }

    private static void writeInt8(FloatBuffer src, ByteBuffer out, int valuesOffset, int scalesOffset,
                                  SegmentLayout layout, String tensorName) {
        int headDim = layout.headDim();
        int rows = layout.rowsPerTensor();
        int rowsPerChunk = Math.max(1, Math.min(rows, CHUNK / headDim));
        Scratch scratch = SCRATCH.get().fit(rowsPerChunk * headDim);
        float[] floats = scratch.floats;
        byte[] quantized = scratch.bytes;
        float[] scales = scratch.scales;
        ByteBuffer values = out.duplicate().position(valuesOffset);
        FloatBuffer scaleOut = floatView(out, scalesOffset, rows);
        src.get(floats, 0, Math.min(rowsPerChunk, rows) * headDim);
        for (int firstRow = 0; firstRow < rows; firstRow += rowsPerChunk) {
            int chunkRows = Math.min(rowsPerChunk, rows - firstRow);
            for (int r = 0; r < chunkRows; r++) {
                int first = r * headDim;
                int absMaxBits = KERNELS.absMaxBits(floats, first, first + headDim);
                if (absMaxBits >= 0x7f80_0000) {
                    int row = firstRow + r;
                    throw new KvSegmentException(KvSegmentError.NON_FINITE_VALUE, tensorName + " head "
                            + row / layout.tokenCount() + " token " + row % layout.tokenCount() + " holds NaN or"
                            + " infinity, which INT8 cannot represent: encode this cache as F32, F16 or BF16");
                }
                float absMax = Float.intBitsToFloat(absMaxBits);
                scales[r] = absMax / INT8_MAX;
                KERNELS.quantize(floats, quantized, first, first + headDim, int8Inverse(absMax));
            }
            values.put(quantized, 0, chunkRows * headDim);
            scaleOut.put(scales, 0, chunkRows);
            src.get(floats, 0, Math.min(rowsPerChunk, rows - firstRow - chunkRows) * headDim);
        }
    }

    private static void readInt8(ByteBuffer in, int valuesOffset, int scalesOffset, SegmentLayout layout,
                                 FloatBuffer dst) {
        int headDim = layout.headDim();
        int rows = layout.rowsPerTensor();
        int rowsPerChunk = Math.max(1, Math.min(rows, CHUNK / headDim));
        Scratch scratch = SCRATCH.get().fit(rowsPerChunk * headDim);
        float[] floats = scratch.floats;
        byte[] quantized = scratch.bytes;
        float[] scales = scratch.scales;
        ByteBuffer values = in.duplicate().position(valuesOffset);
        FloatBuffer scaleIn = floatView(in, scalesOffset, rows);
        values.get(quantized, 0, Math.min(rowsPerChunk, rows) * headDim);
        scaleIn.get(scales, 0, Math.min(rowsPerChunk, rows));
        for (int firstRow = 0; firstRow < rows; firstRow += rowsPerChunk) {
            int chunkRows = Math.min(rowsPerChunk, rows - firstRow);
            for (int r = 0; r < chunkRows; r++) {
                KERNELS.dequantize(quantized, floats, r * headDim, (r + 1) * headDim, scales[r]);
            }
            dst.put(floats, 0, chunkRows * headDim);
            int next = Math.min(rowsPerChunk, rows - firstRow - chunkRows);
            values.get(quantized, 0, next * headDim);
            scaleIn.get(scales, 0, next);
        }
    }

    /** What INT8 multiplies a row by before rounding: 127 / absmax, or 0 for a row that is zero for any purpose. */
    static float int8Inverse(float absMax) {
        // 127 / absMax in float overflows only for absMax < 4e-37
        return absMax < 0x1p-120f ? 0f : INT8_MAX / absMax;
    }

    private static FloatBuffer floatView(ByteBuffer buffer, int offset, int elements) {
        return buffer.duplicate().position(offset).limit(offset + elements * Float.BYTES).slice()
                .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }

    private static ShortBuffer shortView(ByteBuffer buffer, int offset, int elements) {
        return buffer.duplicate().position(offset).limit(offset + elements * Short.BYTES).slice()
                .order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    }

    /** Staging arrays of one thread; grown only for an INT8 row longer than a chunk. */
    private static final class Scratch {
        private float[] floats = new float[CHUNK];
        private short[] shorts = new short[CHUNK];
        private byte[] bytes = new byte[CHUNK];
        private final float[] scales = new float[CHUNK];

        Scratch fit(int elements) {
            if (floats.length < elements) {
                floats = new float[elements];
                shorts = new short[elements];
                bytes = new byte[elements];
            }
            return this;
        }
    }
}
