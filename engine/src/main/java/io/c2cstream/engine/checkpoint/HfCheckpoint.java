package io.c2cstream.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Hugging Face model directory: {@code config.json} and the weights in {@code model.safetensors}, or in
 * shards listed by {@code model.safetensors.index.json}. Tensors are looked up by name across shards.
 */
public final class HfCheckpoint implements AutoCloseable {
    public static final String CONFIG = "config.json";
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final JsonNode config;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> fileByTensor;

    private HfCheckpoint(Path dir, JsonNode config, List<SafetensorsFile> files, Map<String, SafetensorsFile> fileByTensor) {
        this.dir = dir;
        this.config = config;
        this.files = files;
        this.fileByTensor = fileByTensor;
    }

    public static HfCheckpoint open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("model directory " + dir + " does not exist");
        }
        JsonNode config = readJson(dir.resolve(CONFIG), "the model's config.json");
        List<SafetensorsFile> files = new ArrayList<>();
        try {
            Map<String, SafetensorsFile> byTensor = new HashMap<>();
            if (Files.exists(dir.resolve(INDEX_FILE))) {
                openShards(dir, files, byTensor);
            } else if (Files.exists(dir.resolve(SINGLE_FILE))) {
                SafetensorsFile file = SafetensorsFile.open(dir.resolve(SINGLE_FILE));
                files.add(file);
                file.tensors().keySet().forEach(name -> byTensor.put(name, file));
            } else {
                throw new CheckpointException("model directory " + dir + " has neither " + SINGLE_FILE + " nor "
                        + INDEX_FILE + "; only safetensors checkpoints are supported");
            }
            return new HfCheckpoint(dir, config, files, byTensor);
        } catch (RuntimeException e) {
            files.forEach(SafetensorsFile::close);
            throw e;
        }
    }

    private static void openShards(Path dir, List<SafetensorsFile> files, Map<String, SafetensorsFile> byTensor) {
        JsonNode weightMap = readJson(dir.resolve(INDEX_FILE), "the shard index").path("weight_map");
        Map<String, SafetensorsFile> byShard = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String shard = entry.getValue().asText();
            SafetensorsFile file = byShard.get(shard);
            if (file == null) {
                Path shardPath = dir.resolve(shard);
                if (!Files.exists(shardPath)) {
                    throw new CheckpointException(INDEX_FILE + " in " + dir + " lists shard " + shard
                            + " (for tensor '" + entry.getKey() + "'), which is missing");
                }
                file = SafetensorsFile.open(shardPath);
                byShard.put(shard, file);
                files.add(file);
            }
            if (!file.tensors().containsKey(entry.getKey())) {
                throw new MissingTensorException(entry.getKey(), file.path());
            }
            byTensor.put(entry.getKey(), file);
        }
    }

    private static JsonNode readJson(Path file, String what) {
        if (!Files.exists(file)) {
            throw new CheckpointException("missing " + file + " (" + what + ")");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file + " (" + what + ")", e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The parsed config.json. */
    public JsonNode config() {
        return config;
    }

    public boolean has(String tensor) {
        return fileByTensor.containsKey(tensor);
    }

    public Set<String> tensorNames() {
        return Collections.unmodifiableSet(fileByTensor.keySet());
    }

    public TensorInfo info(String tensor) {
        SafetensorsFile file = fileByTensor.get(tensor);
        if (file == null) {
            throw new MissingTensorException(tensor, dir);
        }
        return file.tensors().get(tensor);
    }

    /** Reads a tensor as f32 after checking that its shape is exactly {@code expectedShape}. */
    public float[] read(String tensor, long... expectedShape) {
        TensorInfo info = info(tensor);
        if (!Arrays.equals(info.shape(), expectedShape)) {
            throw new TensorShapeException(tensor, expectedShape, info.shape());
        }
        return fileByTensor.get(tensor).readFloats(tensor);
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
