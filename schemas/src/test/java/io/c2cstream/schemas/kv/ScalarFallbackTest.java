package io.c2cstream.schemas.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} runs the scalar kernels, never loads the vector
 * ones (no {@link NoClassDefFoundError}), and writes byte for byte the segments this JVM's vector kernels write, and
 * decodes them to the same float bits.
 */
class ScalarFallbackTest {

    private static final KvSegmentId ID = new KvSegmentId("req-7", "Qwen/Qwen2.5-0.5B-Instruct", 0, 1);

    @Test
    void aJvmWithoutTheVectorModuleWritesAndReadsTheSameBits(@TempDir Path dir) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ScalarFallbackTest.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), output);
        assertEquals("ScalarKernels", output.strip(), "the child's kernels");
        assertEquals(VectorKernels.class, DenseElements.KERNELS.getClass(), "this JVM's kernels");

        for (KvDtype dtype : KvDtype.values()) {
            ByteBuffer segment = codec(dtype).encode(ID, slice(dtype));
            assertArrayEquals(Files.readAllBytes(dir.resolve(dtype + ".segment")), bytes(segment),
                    dtype + " segment");
            assertArrayEquals(Files.readAllBytes(dir.resolve(dtype + ".decoded")),
                    floatBits(codec(dtype).decode(segment)), dtype + " decoded");
        }
    }

    /** The child JVM: writes each dtype's segment of {@link #slice} and its decoding, and names its kernels. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        for (KvDtype dtype : KvDtype.values()) {
            ByteBuffer segment = codec(dtype).encode(ID, slice(dtype));
            Files.write(dir.resolve(dtype + ".segment"), bytes(segment));
            Files.write(dir.resolve(dtype + ".decoded"), floatBits(codec(dtype).decode(segment)));
        }
        System.out.println(DenseElements.KERNELS.getClass().getSimpleName());
    }

    /**
     * Rows of 67 elements (vector steps plus a tail); NaN, infinities, subnormals and f16 overflow for the float
     * dtypes; for INT8, which refuses non-finite values, a zero row, a row too small to matter and a huge one.
     */
    private static KvSlice slice(KvDtype dtype) {
        boolean int8 = dtype == KvDtype.INT8;
        KvSlice slice = Slices.random(new SplittableRandom(41), 2, 2, 8, 5, 3, 67, !int8);
        if (int8) {
            FloatBuffer keys = slice.keyFloats(0);
            SplittableRandom random = new SplittableRandom(42);
            for (int d = 0; d < 67; d++) {
                keys.put(keys.position() + d, 0f);
                keys.put(keys.position() + 67 + d, (float) (random.nextGaussian() * 0x1p-125));
                keys.put(keys.position() + 2 * 67 + d, (float) (random.nextGaussian() * 1e37));
            }
        }
        return slice;
    }

    private static KvSegmentCodec codec(KvDtype dtype) {
        return KvSegmentCodec.builder().dtype(dtype).build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static byte[] floatBits(KvSlice slice) {
        ByteBuffer out = ByteBuffer.allocate(2 * slice.layerCount() * slice.tensorElements() * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int l = 0; l < slice.layerCount(); l++) {
            for (FloatBuffer tensor : new FloatBuffer[] {slice.keyFloats(l), slice.valueFloats(l)}) {
                for (int i = tensor.position(); i < tensor.limit(); i++) {
                    out.putInt(Float.floatToRawIntBits(tensor.get(i)));
                }
            }
        }
        return out.array();
    }
}
