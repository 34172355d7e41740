package io.c2cstream.engine.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects f32 tensors and writes them as one safetensors file in a chosen dtype. */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Entry(String name, long[] shape, float[] data) {}

    private final TensorDType dtype;
    private final List<Entry> entries = new ArrayList<>();

    public SafetensorsWriter(TensorDType dtype) {
        this.dtype = dtype;
    }

    /** Adds a row-major tensor; the data is narrowed to the writer's dtype on write. */
    public SafetensorsWriter add(String name, long[] shape, float[] data) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape holds " + count
                    + " elements but " + data.length + " were given");
        }
        entries.add(new Entry(name, shape.clone(), data));
        return this;
    }

    public void write(Path file) {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Entry e : entries) {
            long bytes = (long) e.data.length * dtype.bytes();
            ObjectNode node = header.putObject(e.name);
            node.put("dtype", dtype.safetensorsName());
            var shape = node.putArray("shape");
            for (long d : e.shape) {
                shape.add(d);
            }
            node.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] headerBytes = paddedHeader(header);
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
            out.write(length.array());
            out.write(headerBytes);
            for (Entry e : entries) {
                out.write(encode(e.data));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }

    /** The data section starts 8-byte aligned, padded with spaces as the reference writer does. */
    private static byte[] paddedHeader(ObjectNode header) {
        byte[] raw = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(raw, 0, out, 0, raw.length);
        for (int i = raw.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    private byte[] encode(float[] data) {
        ByteBuffer buf = ByteBuffer.allocate(data.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> buf.asFloatBuffer().put(data);
            case F16 -> {
                for (float v : data) {
                    buf.putShort(TensorDType.floatToF16(v));
                }
            }
            case BF16 -> {
                for (float v : data) {
                    buf.putShort(TensorDType.floatToBf16(v));
                }
            }
        }
        return buf.array();
    }
}
