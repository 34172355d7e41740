package io.c2cstream.benchmarks.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import io.c2cstream.schemas.avro.KvSegment;
import io.c2cstream.schemas.kv.KvDtype;
import io.c2cstream.schemas.kv.KvSegmentCodec;
import io.c2cstream.schemas.kv.KvSegmentId;
import io.c2cstream.schemas.kv.KvSlice;
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
 * KV segment encode and decode against a plain copy of the same cache bytes, in one run.
 *
 * <p>Every benchmark moves one slice of {@code layers x 2 x kvHeads x tokens x headDim} floats; the score is the time
 * per slice, so bandwidth is {@code 4 * elements / time} for all of them and the codec's cost is its time over
 * {@link #copy}'s. {@link #copy} is the floor any serialization pays: the f32 tensors bulk-copied into a direct
 * buffer. Encoders write into and decoders read into reused buffers, as the operators do.
 *
 * <p>The fork adds {@code jdk.incubator.vector}, so the codec runs its vector kernels. To measure the scalar fallback
 * in the same way, replace the fork's arguments by ones without it:
 * {@code -jvmArgsAppend -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.c2cstream.schemas.avro}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.c2cstream.schemas.avro",
        "--add-modules", "jdk.incubator.vector"})
public class KvSegmentCodecBenchmark {

    /** Cache geometry, method §0: Qwen3-0.6B (receiver) 8 KV heads x 128, Qwen2.5-0.5B (sharer) 2 x 64. */
    @Param({"qwen3-0.6b", "qwen2.5-0.5b"})
    public String geometry;

    @Param({"F32", "F16", "BF16", "INT8"})
    public KvDtype dtype;

    /** Layers per segment (a layer group). */
    @Param("4")
    public int layers;

    /** Tokens per segment (a token block). */
    @Param("128")
    public int tokens;

    private KvSlice slice;
    private KvSlice target;
    private KvSegmentCodec codec;
    private KvSegmentId id;
    private ByteBuffer encodeBuffer;
    private ByteBuffer segment;
    private ByteBuffer copyBuffer;

    @Setup(Level.Trial)
    public void setUp() {
        int kvHeads = geometry.equals("qwen3-0.6b") ? 8 : 2;
        int headDim = geometry.equals("qwen3-0.6b") ? 128 : 64;
        slice = KvSlice.allocate(0, layers, 0, tokens, kvHeads, headDim);
        target = KvSlice.allocate(0, layers, 0, tokens, kvHeads, headDim);
        SplittableRandom random = new SplittableRandom(1);
        for (int l = 0; l < layers; l++) {
            fill(slice.keyFloats(l), random);
            fill(slice.valueFloats(l), random);
        }
        codec = KvSegmentCodec.builder().dtype(dtype).build();
        id = new KvSegmentId("bench-request-0001", "Qwen/Qwen2.5-0.5B-Instruct", 0, 7);
        encodeBuffer = ByteBuffer.allocateDirect(codec.encodedSize(id, slice));
        segment = codec.encode(id, slice);
        copyBuffer = ByteBuffer.allocateDirect(2 * layers * slice.tensorElements() * Float.BYTES)
                .order(ByteOrder.nativeOrder());
    }

    /** Baseline: the same f32 cache bytes, bulk-copied (what a codec-free transfer pays at least). */
    @Benchmark
    public ByteBuffer copy() {
        FloatBuffer out = copyBuffer.clear().asFloatBuffer();
        for (int l = 0; l < layers; l++) {
            out.put(slice.keyFloats(l));
            out.put(slice.valueFloats(l));
        }
        return copyBuffer;
    }

    @Benchmark
    public int encode() {
        return codec.encode(id, slice, encodeBuffer.clear());
    }

    @Benchmark
    public KvSegment decode() {
        return codec.decodeInto(segment, target);
    }

    /**
     * The CRC32C pass alone over the segment's bytes before its checksum, which encode computes and decode verifies:
     * with {@link #copy}, a floor under both (see {@code ElementKernelsBenchmark} for the conversions).
     */
    @Benchmark
    public long checksum() {
        CRC32C crc = new CRC32C();
        crc.update(segment.duplicate().limit(segment.limit() - Integer.BYTES));
        return crc.getValue();
    }

    private static void fill(FloatBuffer buffer, SplittableRandom random) {
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (float) random.nextGaussian());
        }
    }
}
