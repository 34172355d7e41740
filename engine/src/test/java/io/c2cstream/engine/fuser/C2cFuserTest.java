package io.c2cstream.engine.fuser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.checkpoint.MissingTensorException;
import io.c2cstream.engine.checkpoint.SafetensorsFile;
import io.c2cstream.engine.checkpoint.SafetensorsWriter;
import io.c2cstream.engine.checkpoint.TensorDType;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.engine.model.ModelFamily;
import io.c2cstream.engine.model.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fuser directories (method §1.9): round trip, and the errors a user sees for a wrong or broken one. */
class C2cFuserTest {
    @TempDir
    Path dir;

    private static final ModelConfig RECEIVER = config(ModelFamily.QWEN3);
    private static final ModelConfig SHARER = config(ModelFamily.LLAMA);

    private static ModelConfig config(ModelFamily family) {
        return ModelConfig.fromJson(TinyModels.config(family));
    }

    private static C2cFuser fresh() {
        FuserConfig config = new FuserConfig("tiny-qwen3", "tiny-llama", false, "longest", "last_aligned", "sequential",
                ProjectorConfig.reference(SHARER.numKvHeads(), SHARER.headDim(), RECEIVER.numKvHeads(), RECEIVER.headDim(), 16, 24));
        return C2cFuser.initialize(config, RECEIVER, SHARER, Device.cpu(), 7);
    }

    @Test
    void savedFusersLoadWithEveryTensorAndTheLayerMap() throws IOException {
        try (C2cFuser fuser = fresh()) {
            fuser.projectors().get(1).setGateLogits(0.25f, -1f);
            fuser.save(dir, TensorDType.F32);
            assertTrue(Files.exists(dir.resolve("projector_config.json")));
            assertTrue(Files.exists(dir.resolve("projector_2.safetensors")) && Files.exists(dir.resolve("projector_2.json")));
            try (C2cFuser loaded = C2cFuser.load(dir, Device.cpu())) {
                assertEquals(fuser.config(), loaded.config());
                assertArrayEquals(fuser.layerMap().firstSharerLayers(), loaded.layerMap().firstSharerLayers());
                for (int i = 0; i < fuser.projectors().size(); i++) {
                    Map<String, NDArray> before = fuser.projectors().get(i).tensors();
                    Map<String, NDArray> after = loaded.projectors().get(i).tensors();
                    assertEquals(before.keySet(), after.keySet());
                    before.forEach((name, array) -> assertArrayEquals(array.toFloatArray(), after.get(name).toFloatArray(), name));
                }
                assertTrue(loaded.projectors().get(1).keyGateOpen());
                loaded.checkFits(RECEIVER, SHARER);
            }
        }
    }

    @Test
    void aMissingTensorIsNamed() throws IOException {
        try (C2cFuser fuser = fresh()) {
            fuser.save(dir, TensorDType.BF16);
        }
        Path file = dir.resolve("projector_0.safetensors");
        SafetensorsWriter rewritten = new SafetensorsWriter(TensorDType.F32);
        try (SafetensorsFile original = SafetensorsFile.open(file)) {
            original.tensors().forEach((name, info) -> {
                if (!name.equals("value_scalar_head.bias")) {
                    rewritten.add(name, info.shape(), original.readFloats(name));
                }
            });
        }
        rewritten.write(file);
        MissingTensorException e = assertThrows(MissingTensorException.class, () -> C2cFuser.load(dir, Device.cpu()));
        assertEquals("value_scalar_head.bias", e.tensor());
    }

    @Test
    void aMissingProjectorFileIsNamed() throws IOException {
        try (C2cFuser fuser = fresh()) {
            fuser.save(dir, TensorDType.F32);
        }
        Files.delete(dir.resolve("projector_1.safetensors"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> C2cFuser.load(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("projector 1") && e.getMessage().contains("projector_1.safetensors"), e.getMessage());
    }

    @Test
    void aFuserForOtherModelsNamesBothGeometries() {
        ObjectNode widerSharer = TinyModels.config(ModelFamily.LLAMA).put("num_key_value_heads", 4);
        try (C2cFuser fuser = fresh()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fuser.checkFits(RECEIVER, ModelConfig.fromJson(widerSharer)));
            assertTrue(e.getMessage().contains("sharer KV geometry: fuser 2×8, model 4×8"), e.getMessage());
            assertTrue(e.getMessage().contains("tiny-qwen3 ← tiny-llama"), e.getMessage());
        }
    }

    @Test
    void aDirectoryWithoutConfigSaysWhatItIs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> C2cFuser.load(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    }
}
