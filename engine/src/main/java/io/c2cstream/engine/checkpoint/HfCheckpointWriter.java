package io.c2cstream.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a Hugging Face model directory: config.json plus weights, in one {@code model.safetensors} or,
 * above {@link #maxShardBytes(long)}, in numbered shards with {@code model.safetensors.index.json}.
 */
public final class HfCheckpointWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Tensor(String name, long[] shape, float[] data) {}

    private final Path dir;
    private JsonNode config = JSON.createObjectNode();
    private TensorDType dtype = TensorDType.F32;
    private long maxShardBytes = Long.MAX_VALUE;
    private final List<Tensor> tensors = new ArrayList<>();

    private HfCheckpointWriter(Path dir) {
        this.dir = dir;
    }

    public static HfCheckpointWriter to(Path dir) {
        return new HfCheckpointWriter(dir);
    }

    public HfCheckpointWriter config(JsonNode config) {
        this.config = config;
        return this;
    }

    /** The dtype tensors are stored in (default f32). */
    public HfCheckpointWriter dtype(TensorDType dtype) {
        this.dtype = dtype;
        return this;
    }

    /** Splits the weights into shards of at most this many bytes (a tensor is never split). */
    public HfCheckpointWriter maxShardBytes(long bytes) {
        this.maxShardBytes = bytes;
        return this;
    }

    public HfCheckpointWriter add(String name, long[] shape, float[] data) {
        tensors.add(new Tensor(name, shape, data));
        return this;
    }

    public void write() {
        try {
            Files.createDirectories(dir);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(HfCheckpoint.CONFIG).toFile(), config);
            List<List<Tensor>> shards = splitIntoShards();
            if (shards.size() == 1) {
                writeShard(shards.get(0), dir.resolve(HfCheckpoint.SINGLE_FILE));
                return;
            }
            ObjectNode index = JSON.createObjectNode();
            index.putObject("metadata").put("total_size", tensors.stream()
                    .mapToLong(t -> (long) t.data.length * dtype.bytes()).sum());
            ObjectNode weightMap = index.putObject("weight_map");
            for (int i = 0; i < shards.size(); i++) {
                String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
                writeShard(shards.get(i), dir.resolve(name));
                shards.get(i).forEach(t -> weightMap.put(t.name, name));
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(HfCheckpoint.INDEX_FILE).toFile(), index);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint to " + dir, e);
        }
    }

    private List<List<Tensor>> splitIntoShards() {
        List<List<Tensor>> shards = new ArrayList<>();
        List<Tensor> current = new ArrayList<>();
        long currentBytes = 0;
        for (Tensor t : tensors) {
            long bytes = (long) t.data.length * dtype.bytes();
            if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(t);
            currentBytes += bytes;
        }
        shards.add(current);
        return shards;
    }

    private void writeShard(List<Tensor> shard, Path file) {
        SafetensorsWriter writer = new SafetensorsWriter(dtype);
        shard.forEach(t -> writer.add(t.name, t.shape, t.data));
        writer.write(file);
    }
}
