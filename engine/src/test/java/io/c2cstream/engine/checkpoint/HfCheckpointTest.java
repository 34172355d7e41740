package io.c2cstream.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HfCheckpointTest {
    @TempDir
    Path dir;

    private static final float[] VALUES = {0f, 1f, -2.5f, 0.1f, 3.14159f, -1e-3f};

    private HfCheckpointWriter writer() {
        return HfCheckpointWriter.to(dir).config(new ObjectMapper().createObjectNode().put("model_type", "llama"));
    }

    @ParameterizedTest
    @EnumSource(TensorDType.class)
    void tensorsRoundTripInEveryDtype(TensorDType dtype) {
        writer().dtype(dtype).add("w", new long[] {2, 3}, VALUES).write();
        try (HfCheckpoint ckpt = HfCheckpoint.open(dir)) {
            assertEquals(dtype, ckpt.info("w").dtype());
            float[] read = ckpt.read("w", 2, 3);
            float tolerance = dtype == TensorDType.F32 ? 0f : dtype == TensorDType.F16 ? 2e-3f : 1e-2f;
            for (int i = 0; i < VALUES.length; i++) {
                assertEquals(VALUES[i], read[i], Math.abs(VALUES[i]) * tolerance, "element " + i);
            }
            assertEquals("llama", ckpt.config().path("model_type").asText());
        }
    }

    @Test
    void bf16RoundsToNearestEven() {
        // 1 + 2^-8 lies exactly between two bf16 values (1 and 1 + 2^-7): ties go to the even mantissa, 1.
        assertEquals(1f, TensorDType.bf16ToFloat(TensorDType.floatToBf16(1f + 0x1p-8f)));
        assertEquals(1f + 0x1p-6f, TensorDType.bf16ToFloat(TensorDType.floatToBf16(1f + 0x1p-7f + 0x1p-8f)));
    }

    @Test
    void f16CoversSubnormalsAndInfinity() {
        for (float v : new float[] {0x1p-24f, -0x1p-20f, 65504f, 1.5f, -0f}) {
            assertEquals(v, TensorDType.f16ToFloat(TensorDType.floatToF16(v)));
        }
        assertEquals(Float.POSITIVE_INFINITY, TensorDType.f16ToFloat(TensorDType.floatToF16(1e6f)));
    }

    @Test
    void shardedCheckpointsResolveTensorsAcrossFiles() {
        writer().maxShardBytes(24).add("a", new long[] {6}, VALUES).add("b", new long[] {3}, new float[] {7, 8, 9}).write();
        assertTrue(Files.exists(dir.resolve(HfCheckpoint.INDEX_FILE)));
        assertTrue(Files.exists(dir.resolve("model-00002-of-00002.safetensors")));
        try (HfCheckpoint ckpt = HfCheckpoint.open(dir)) {
            assertArrayEquals(VALUES, ckpt.read("a", 6));
            assertArrayEquals(new float[] {7, 8, 9}, ckpt.read("b", 3));
        }
    }

    @Test
    void missingTensorIsNamed() {
        writer().add("present", new long[] {6}, VALUES).write();
        try (HfCheckpoint ckpt = HfCheckpoint.open(dir)) {
            MissingTensorException e = assertThrows(MissingTensorException.class, () -> ckpt.read("model.norm.weight", 6));
            assertEquals("model.norm.weight", e.tensor());
            assertTrue(e.getMessage().contains("'model.norm.weight'"), e.getMessage());
        }
    }

    @Test
    void shapeMismatchReportsExpectedAndFound() {
        writer().add("w", new long[] {2, 3}, VALUES).write();
        try (HfCheckpoint ckpt = HfCheckpoint.open(dir)) {
            TensorShapeException e = assertThrows(TensorShapeException.class, () -> ckpt.read("w", 3, 2));
            assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"), e.getMessage());
        }
    }

    @Test
    void tensorsBeyondTwoGibibytesAreRead() throws IOException {
        // A checkpoint file over 2 GiB, written sparsely: the header declares a 2.4 GB "padding" tensor that
        // is never read (its bytes are a hole), followed by two small tensors whose bytes are written at the
        // end. Offsets past Integer.MAX_VALUE must reach the right bytes, not wrap or fail.
        long paddingBytes = 600_000_000L * 4;
        long tail = paddingBytes + 24;
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + entry("padding", "F32", "600000000", 0, paddingBytes) + ","
                + entry("small", "F32", "2,3", paddingBytes, tail) + ","
                + entry("half", "BF16", "4", tail, tail + 8) + "}";
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        long dataStart = 8 + headerBytes.length;
        ByteBuffer data = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(VALUES);
        float[] halves = {1.5f, -2f, 0.25f, 96f};
        data.position(24);
        for (float v : halves) {
            data.putShort(TensorDType.floatToBf16(v));
        }
        Files.writeString(dir.resolve(HfCheckpoint.CONFIG), "{\"model_type\":\"llama\"}");
        Path file = dir.resolve(HfCheckpoint.SINGLE_FILE);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
            raf.write(length.array());
            raf.write(headerBytes);
            raf.setLength(dataStart + tail + 8);
            raf.seek(dataStart + paddingBytes);
            raf.write(data.array());
        }
        assertTrue(Files.size(file) > (1L << 31) + 24, "the file is over 2 GiB");

        try (HfCheckpoint ckpt = HfCheckpoint.open(dir)) {
            assertTrue(dataStart + ckpt.info("small").begin() > Integer.MAX_VALUE, "the tensor lies past 2 GiB");
            assertArrayEquals(VALUES, ckpt.read("small", 2, 3));
            assertArrayEquals(halves, ckpt.read("half", 4));
        }
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertArrayEquals(VALUES, st.readFloats("small"));
            assertEquals(600_000_000L, st.tensors().get("padding").elementCount());
        }
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + shape + "],\"data_offsets\":["
                + begin + "," + end + "]}";
    }

    @Test
    void truncatedFileIsDetectedAtOpen() throws IOException {
        writer().add("w", new long[] {2, 3}, VALUES).write();
        Path file = dir.resolve(HfCheckpoint.SINGLE_FILE);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 5);
        }
        TruncatedCheckpointException e = assertThrows(TruncatedCheckpointException.class, () -> HfCheckpoint.open(dir));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void missingWeightsOrConfigSayWhatIsMissing() throws IOException {
        Files.writeString(dir.resolve(HfCheckpoint.CONFIG), "{}");
        CheckpointException noWeights = assertThrows(CheckpointException.class, () -> HfCheckpoint.open(dir));
        assertTrue(noWeights.getMessage().contains(HfCheckpoint.SINGLE_FILE), noWeights.getMessage());
        Files.delete(dir.resolve(HfCheckpoint.CONFIG));
        CheckpointException noConfig = assertThrows(CheckpointException.class, () -> HfCheckpoint.open(dir));
        assertTrue(noConfig.getMessage().contains("config.json"), noConfig.getMessage());
    }
}
