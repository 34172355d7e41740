package io.c2cstream.schemas.kv;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The codec's element conversions alone, without memory traffic: each kernel run over one 4,096-element chunk that
 * stays in L1, as many times as a segment of {@code KvSegmentCodecBenchmark} has chunks (a Qwen3-0.6B segment, 4
 * layers x K and V x 8 heads x 128 tokens x 128, unless the parameters say otherwise). With that benchmark's
 * {@code copy} and {@code checksum} in the same run this is the floor of the codec's time: no encoder that converts
 * every element and checksums the segment can beat {@code convert + checksum}.
 *
 * <p>In the codec's package to reach the package-private kernels ({@link DenseElements#KERNELS}: the vector ones
 * when the fork has {@code jdk.incubator.vector}, as here).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementKernelsBenchmark {

    private static final int CHUNK = 4096;

    /** Elements of one segment: layers x 2 x kvHeads x tokens x headDim. */
    @Param("1048576")
    public int elements;

    /** Row length of the INT8 kernels (one scale per row): the head dimension. */
    @Param("128")
    public int headDim;

    private final ElementKernels kernels = DenseElements.KERNELS;
    private final float[] floats = new float[CHUNK];
    private final short[] halves = new short[CHUNK];
    private final byte[] quantized = new byte[CHUNK];

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < CHUNK; i++) {
            floats[i] = (float) random.nextGaussian();
            halves[i] = HalfFloats.toF16(floats[i]);
            quantized[i] = (byte) random.nextInt(-127, 128);
        }
    }

    @Benchmark
    public short[] toF16() {
        for (int done = 0; done < elements; done += CHUNK) {
            kernels.toF16(floats, halves, 0, CHUNK);
        }
        return halves;
    }

    @Benchmark
    public float[] fromF16() {
        for (int done = 0; done < elements; done += CHUNK) {
            kernels.fromF16(halves, floats, 0, CHUNK);
        }
        return floats;
    }

    @Benchmark
    public short[] toBf16() {
        for (int done = 0; done < elements; done += CHUNK) {
            kernels.toBf16(floats, halves, 0, CHUNK);
        }
        return halves;
    }

    @Benchmark
    public float[] fromBf16() {
        for (int done = 0; done < elements; done += CHUNK) {
            kernels.fromBf16(halves, floats, 0, CHUNK);
        }
        return floats;
    }

    /** Per row: the absmax, then the quantization (what INT8 encoding computes). */
    @Benchmark
    public byte[] quantize() {
        for (int done = 0; done < elements; done += CHUNK) {
            for (int row = 0; row < CHUNK; row += headDim) {
                float absMax = Float.intBitsToFloat(kernels.absMaxBits(floats, row, row + headDim));
                kernels.quantize(floats, quantized, row, row + headDim, DenseElements.int8Inverse(absMax));
            }
        }
        return quantized;
    }

    @Benchmark
    public float[] dequantize() {
        for (int done = 0; done < elements; done += CHUNK) {
            for (int row = 0; row < CHUNK; row += headDim) {
                kernels.dequantize(quantized, floats, row, row + headDim, 0.01f);
            }
        }
        return floats;
    }
}
