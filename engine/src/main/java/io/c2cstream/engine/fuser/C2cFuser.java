package io.c2cstream.engine.fuser;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.checkpoint.MissingTensorException;
import io.c2cstream.engine.checkpoint.SafetensorsFile;
import io.c2cstream.engine.checkpoint.SafetensorsWriter;
import io.c2cstream.engine.checkpoint.TensorDType;
import io.c2cstream.engine.checkpoint.TensorShapeException;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.KvSource;
import io.c2cstream.engine.model.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A trained fuser: one {@link C2cProjector} per receiver layer and the layer map saying which sharer layer
 * feeds each of them. It fuses a sharer cache into a receiver cache over a token range (method §4.3).
 *
 * <p>On disk (method §1.9): {@code config.json} ({@link FuserConfig}), {@code projector_config.json}
 * ({@link LayerMapJson}), and per projector {@code projector_{i}.safetensors} under the reference's tensor
 * names with {@code projector_{i}.json} holding its {@code init_args}.
 */
public final class C2cFuser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FuserConfig config;
    private final LayerMap layerMap;
    private final List<C2cProjector> projectors;
    private final NDManager manager;
    private List<ProjectorStack> stacks;

    private C2cFuser(FuserConfig config, LayerMap layerMap, List<C2cProjector> projectors, NDManager manager) {
        this.config = config;
        this.layerMap = layerMap;
        this.projectors = projectors;
        this.manager = manager;
    }

    /** A fresh fuser for a model pair: every projector initialised as PyTorch would, all gates closed. */
    public static C2cFuser initialize(FuserConfig config, ModelConfig receiver, ModelConfig sharer, Device device, long seed) {
        LayerMap map = LayerMap.named(config.mapping(), receiver.numLayers(), sharer.numLayers(), 1);
        NDManager manager = NDManager.newBaseManager(device);
        Random random = new Random(seed);
        List<C2cProjector> projectors = new ArrayList<>();
        for (int t = 0; t < receiver.numLayers(); t++) {
            projectors.add(C2cProjector.initialize(config.projector(), manager, random));
        }
        C2cFuser fuser = new C2cFuser(config, map, projectors, manager);
        fuser.checkFits(receiver, sharer);
        return fuser;
    }

    /** Loads a fuser directory; every expected tensor and shape is checked, and a missing one is named. */
    public static C2cFuser load(Path dir, Device device) {
        FuserConfig config = FuserConfig.read(dir);
        Path mapFile = dir.resolve(LayerMapJson.FILE_NAME);
        if (!Files.exists(mapFile)) {
            throw new IllegalArgumentException("fuser directory " + dir + " has no " + LayerMapJson.FILE_NAME);
        }
        LayerMap map = LayerMapJson.read(mapFile);
        int count = projectorCount(map);
        NDManager manager = NDManager.newBaseManager(device);
        List<C2cProjector> projectors = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                projectors.add(loadProjector(dir, i, manager));
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return new C2cFuser(config, map, projectors, manager);
    }

    private static int projectorCount(LayerMap map) {
        int count = 0;
        for (int t = 0; t < map.receiverLayers(); t++) {
            for (LayerSource s : map.sources(t)) {
                count = Math.max(count, s.projectorIndex() + 1);
            }
        }
        return count;
    }

    private static C2cProjector loadProjector(Path dir, int index, NDManager manager) {
        Path weights = dir.resolve("projector_" + index + ".safetensors");
        Path args = dir.resolve("projector_" + index + ".json");
        if (!Files.exists(weights) || !Files.exists(args)) {
            throw new IllegalArgumentException("fuser directory " + dir + " lacks projector " + index + " ("
                    + weights.getFileName() + " and " + args.getFileName() + "), which projector_config.json uses");
        }
        ProjectorConfig projector;
        try {
            projector = ProjectorConfig.fromInitArgs(JSON.readTree(args.toFile()).path("init_args"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + args, e);
        }
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            return C2cProjector.fromTensors(projector, manager, spec -> {
                var info = file.tensors().get(spec.name());
                if (info == null) {
                    throw new MissingTensorException(spec.name(), weights);
                }
                if (!Arrays.equals(info.shape(), spec.shape())) {
                    throw new TensorShapeException(spec.name(), spec.shape(), info.shape());
                }
                return file.readFloats(spec.name());
            });
        }
    }

    /** Writes the fuser directory (weights in f32 unless {@code dtype} says otherwise). */
    public void save(Path dir, TensorDType dtype) {
        try {
            Files.createDirectories(dir);
            config.write(dir);
            LayerMapJson.write(layerMap, dir.resolve(LayerMapJson.FILE_NAME));
            for (int i = 0; i < projectors.size(); i++) {
                C2cProjector p = projectors.get(i);
                SafetensorsWriter writer = new SafetensorsWriter(dtype);
                p.tensors().forEach((name, array) -> writer.add(name, array.getShape().getShape(), array.toFloatArray()));
                writer.write(dir.resolve("projector_" + i + ".safetensors"));
                ObjectNode args = JSON.createObjectNode().put("class", "C2CProjector");
                args.set("init_args", p.config().toInitArgs());
                JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("projector_" + i + ".json").toFile(), args);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write fuser to " + dir, e);
        }
    }

    public FuserConfig config() {
        return config;
    }

    public LayerMap layerMap() {
        return layerMap;
    }

    public List<C2cProjector> projectors() {
        return projectors;
    }

    /**
     * Checks that this fuser was built for these models: receiver and sharer KV geometry and layer counts.
     * The error names both the fuser's and the model's numbers.
     */
    public void checkFits(ModelConfig receiver, ModelConfig sharer) {
        ProjectorConfig p = config.projector();
        List<String> problems = new ArrayList<>();
        if (p.receiverHeads() != receiver.numKvHeads() || p.receiverHeadDim() != receiver.headDim()) {
            problems.add("receiver KV geometry: fuser " + p.receiverHeads() + "×" + p.receiverHeadDim() + ", model "
                    + receiver.numKvHeads() + "×" + receiver.headDim());
        }
        if (p.sharerHeads() != sharer.numKvHeads() || p.sharerHeadDim() != sharer.headDim()) {
            problems.add("sharer KV geometry: fuser " + p.sharerHeads() + "×" + p.sharerHeadDim() + ", model "
                    + sharer.numKvHeads() + "×" + sharer.headDim());
        }
        if (layerMap.receiverLayers() > receiver.numLayers()) {
            problems.add("receiver layers: fuser maps " + layerMap.receiverLayers() + ", model has " + receiver.numLayers());
        }
        for (int t = 0; t < layerMap.receiverLayers(); t++) {
            for (LayerSource s : layerMap.sources(t)) {
                if (s.sharerLayer() >= sharer.numLayers()) {
                    problems.add("receiver layer " + t + " reads sharer layer " + s.sharerLayer() + ", model has "
                            + sharer.numLayers() + " layers");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("fuser (" + config.receiverModel() + " ← " + config.sharerModel()
                    + ") does not fit the loaded models: " + String.join("; ", problems));
        }
    }

    /**
     * Fuses sharer cache columns {@code [from, to)} into the same receiver columns (sequential mode): each
     * projector reads the receiver's own entries and the mapped sharer layer's, and its output overwrites the
     * receiver's. All layers go through one stacked pass per projector configuration ({@link ProjectorStack});
     * a layer whose gates are both closed is computed with the others but left as it is.
     */
    public void fuse(KvCache receiver, KvSource sharer, int from, int to) {
        for (ProjectorStack stack : stacks()) {
            int[] layers = stack.layers();
            if (Arrays.stream(layers).noneMatch(this::fusesLayer)) {
                continue;
            }
            try (NDManager scope = manager.newSubManager()) {
                List<C2cProjector.Kv> own = new ArrayList<>();
                for (int t : layers) {
                    own.add(new C2cProjector.Kv(receiver.readKeys(t, from, to, scope), receiver.readValues(t, from, to, scope)));
                }
                List<C2cProjector.Kv> fused = fuseStacked(stack.all(), layers, own, sharer, from, to, scope);
                for (int k = 0; k < layers.length; k++) {
                    if (fused.get(k) != null) {
                        receiver.overwrite(layers[k], from, fused.get(k).keys(), fused.get(k).values());
                    }
                }
            }
        }
    }

    /**
     * Fuses one receiver layer over {@code [from, to)} in place (the streaming job fuses each layer as soon as
     * the sharer layer it reads has arrived); a layer with no open gate is left as it is.
     */
    public void fuseLayer(KvCache receiver, int receiverLayer, KvSource sharer, int from, int to) {
        if (!fusesLayer(receiverLayer)) {
            return;
        }
        try (NDManager scope = manager.newSubManager()) {
            C2cProjector.Kv own = new C2cProjector.Kv(receiver.readKeys(receiverLayer, from, to, scope),
                    receiver.readValues(receiverLayer, from, to, scope));
            C2cProjector.Kv fused = fuseOpenLayer(receiverLayer, own, sharer, from, to, scope);
            receiver.overwrite(receiverLayer, from, fused.keys(), fused.values());
        }
    }

    /** The sharer layer receiver layer {@code t} reads (its first source); only meaningful where it fuses. */
    public int sharerLayerOf(int receiverLayer) {
        return layerMap.sources(receiverLayer).get(0).sharerLayer();
    }

    /** Whether receiver layer {@code t} has a projector with an open gate. */
    public boolean fusesLayer(int receiverLayer) {
        C2cProjector p = projectorOf(receiverLayer);
        return p != null && anyGateOpen(p);
    }

    /**
     * The fused entries of one receiver layer over {@code [from, to)}, from given receiver entries (for the
     * parallel multi-sharer mode, the pre-fusion snapshot) and this fuser's sharer cache.
     */
    public C2cProjector.Kv fuseLayer(int receiverLayer, C2cProjector.Kv receiver, KvSource sharer, int from, int to,
                                     NDManager scope) {
        return fusesLayer(receiverLayer) ? fuseOpenLayer(receiverLayer, receiver, sharer, from, to, scope) : receiver;
    }

    /** {@link #fuseLayer(int, C2cProjector.Kv, KvSource, int, int, NDManager)} for a layer known to have an open gate. */
    private C2cProjector.Kv fuseOpenLayer(int receiverLayer, C2cProjector.Kv receiver, KvSource sharer, int from, int to,
                                          NDManager scope) {
        for (ProjectorStack stack : stacks()) {
            int k = stack.indexOf(receiverLayer);
            if (k >= 0) {
                return fuseStacked(stack.layer(k), new int[] {receiverLayer}, List.of(receiver), sharer, from, to, scope)
                        .get(0);
            }
        }
        throw new IllegalStateException("receiver layer " + receiverLayer + " has a projector but no stack");
    }

    /**
     * Runs stacked paths over receiver {@code layers} (in the order of {@code weights}) and returns each layer's
     * entries: fused where its gate is open, its own where closed, null where both gates are closed (nothing to
     * write). Each gate is read once.
     */
    private List<C2cProjector.Kv> fuseStacked(ProjectorStack.Weights weights, int[] layers, List<C2cProjector.Kv> own,
                                              KvSource sharer, int from, int to, NDManager scope) {
        NDList theirs = new NDList();
        NDList ours = new NDList();
        for (int k = 0; k < layers.length; k++) {
            int s = sharerLayerOf(layers[k]);
            theirs.add(sharer.readKeys(s, from, to, scope));
            theirs.add(sharer.readValues(s, from, to, scope));
            ours.add(own.get(k).keys());
            ours.add(own.get(k).values());
        }
        NDArray fused = ProjectorStack.fuse(weights, NDArrays.stack(theirs), NDArrays.stack(ours));  // [2·layers, B, Ht, N, Dt]
        List<C2cProjector.Kv> result = new ArrayList<>();
        for (int k = 0; k < layers.length; k++) {
            C2cProjector p = projectorOf(layers[k]);
            boolean keys = p.keyGateOpen();
            boolean values = p.valueGateOpen();
            result.add(!keys && !values ? null : new C2cProjector.Kv(keys ? fused.get(2 * k) : own.get(k).keys(),
                    values ? fused.get(2 * k + 1) : own.get(k).values()));
        }
        return result;
    }

    /**
     * The projectors in their inference form, stacked at the first fuse: one stack per projector configuration
     * over every layer that has a projector. The weights are copied then, so a fuser is trained through its
     * projectors ({@code FuserTrainer}) and fused through this class only once its weights are final.
     */
    private synchronized List<ProjectorStack> stacks() {
        if (stacks == null) {
            Map<ProjectorConfig, List<Integer>> layersByConfig = new LinkedHashMap<>();
            for (int t = 0; t < layerMap.receiverLayers(); t++) {
                C2cProjector p = projectorOf(t);
                if (p != null) {
                    layersByConfig.computeIfAbsent(p.config(), c -> new ArrayList<>()).add(t);
                }
            }
            List<ProjectorStack> built = new ArrayList<>();
            layersByConfig.values().forEach(layers -> built.add(ProjectorStack.of(
                    layers.stream().mapToInt(Integer::intValue).toArray(),
                    layers.stream().map(this::projectorOf).toList(), manager)));
            stacks = List.copyOf(built);
        }
        return stacks;
    }

    /** The projector of a receiver layer (its first source), or null where the layer is not fused. */
    C2cProjector projectorOf(int receiverLayer) {
        List<LayerSource> sources = layerMap.sources(receiverLayer);
        return sources.isEmpty() ? null : projectors.get(sources.get(0).projectorIndex());
    }

    private static boolean anyGateOpen(C2cProjector p) {
        return p.keyGateOpen() || p.valueGateOpen();
    }

    @Override
    public void close() {
        manager.close();
    }
}
