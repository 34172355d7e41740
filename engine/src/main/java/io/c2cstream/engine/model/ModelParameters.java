package io.c2cstream.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.checkpoint.HfCheckpoint;
import io.c2cstream.engine.checkpoint.HfCheckpointWriter;
import io.c2cstream.engine.checkpoint.TensorDType;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A model's Hugging Face tensors as trainable native arrays (all of them, by name), with the config.json they
 * belong to: what pretraining updates and what it saves as a checkpoint that loads like any other.
 */
public final class ModelParameters implements AutoCloseable {
    private final ObjectNode configJson;
    private final ModelConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> tensors;

    private ModelParameters(ObjectNode configJson, NDManager manager, Map<String, NDArray> tensors) {
        this.configJson = configJson;
        this.config = ModelConfig.fromJson(configJson);
        this.manager = manager;
        this.tensors = tensors;
    }

    /**
     * Fresh weights for a config: matrices and embeddings normal with standard deviation {@code std}, biases
     * 0, norm gains at their identity (1, or 0 for Gemma's (1 + w)).
     */
    public static ModelParameters initialize(ObjectNode configJson, Device device, double std, long seed) {
        ModelConfig c = ModelConfig.fromJson(configJson);
        Random random = new Random(seed);
        NDManager manager = NDManager.newBaseManager(device);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (ModelTensors.Spec spec : ModelTensors.of(c, "model.")) {
            float[] values = new float[Math.toIntExact(spec.elements())];
            switch (spec.kind()) {
                case EMBEDDING, MATRIX -> {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (random.nextGaussian() * std);
                    }
                }
                case NORM -> java.util.Arrays.fill(values, c.gemmaNorms() ? 0f : 1f);
                case BIAS -> { }
            }
            tensors.put(spec.name(), NativeArrays.copyOf(manager, values, new Shape(spec.shape())));
        }
        return new ModelParameters(configJson.deepCopy(), manager, tensors);
    }

    /** The tensors of a checkpoint directory, for further training. */
    public static ModelParameters load(Path dir, Device device) {
        try (HfCheckpoint ckpt = HfCheckpoint.open(dir)) {
            ModelConfig c = ModelConfig.fromJson(ckpt.config());
            NDManager manager = NDManager.newBaseManager(device);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (ModelTensors.Spec spec : ModelTensors.of(c, ModelWeights.prefix(ckpt))) {
                float[] values = ckpt.read(spec.name(), spec.shape());
                tensors.put(spec.name(), NativeArrays.copyOf(manager, values, new Shape(spec.shape())));
            }
            return new ModelParameters(((ObjectNode) ckpt.config()).deepCopy(), manager, tensors);
        }
    }

    public ModelConfig config() {
        return config;
    }

    /** Tensors by Hugging Face name, in state-dict order. */
    public Map<String, NDArray> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Every tensor, for an optimizer. */
    public List<NDArray> trainable() {
        return List.copyOf(tensors.values());
    }

    NDArray get(String name) {
        return tensors.get(name);
    }

    Device device() {
        return manager.getDevice();
    }

    /**
     * Frees every array that operations on the parameters created (they belong to the parameters' manager),
     * keeping the parameters.
     */
    void freeDerived() {
        java.util.Set<NDArray> keep = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        keep.addAll(tensors.values());
        for (NDArray a : manager.getManagedArrays()) {
            if (!keep.contains(a)) {
                a.close();
            }
        }
    }

    /** Writes config.json and model.safetensors; tokenizer files are the caller's. */
    public void save(Path dir, TensorDType dtype) {
        HfCheckpointWriter writer = HfCheckpointWriter.to(dir).config(configJson).dtype(dtype);
        tensors.forEach((name, array) -> writer.add(name, array.getShape().getShape(), array.toFloatArray()));
        writer.write();
    }

    @Override
    public void close() {
        manager.close();
    }
}
