package io.c2cstream.engine.fuser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the reference's {@code projector_config.json} (method §1.9): {@code {"0": {"1":
 * {"<t>": [[<sharer_layer>, <projector_index>], ...], ...}}}}, receiver model 0 fed by sharer model
 * 1, every key a decimal string.
 *
 * <p>The file does not state the receiver's depth: a read map covers layers 0 up to the highest
 * listed one, and layers without an entry are not fused.
 */
public final class LayerMapJson {

    public static final String FILE_NAME = "projector_config.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String RECEIVER_MODEL = "0";
    private static final String SHARER_MODEL = "1";

    private LayerMapJson() {}

    /**
     * Reads a {@code projector_config.json}.
     *
     * @throws IllegalArgumentException when the file is not in the layout above
     * @throws UncheckedIOException when it cannot be read
     */
    public static LayerMap read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes {@code map} as a {@code projector_config.json}, replacing the file. */
    public static void write(LayerMap map, Path file) {
        try {
            Files.writeString(file, format(map));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Parses the JSON text of a {@code projector_config.json}; {@code source} names it in errors.
     *
     * @throws IllegalArgumentException when the text is not in the layout above
     */
    public static LayerMap parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode layers = root.path(RECEIVER_MODEL).path(SHARER_MODEL);
        if (!root.isObject() || root.size() != 1 || !root.path(RECEIVER_MODEL).isObject()
                || root.path(RECEIVER_MODEL).size() != 1 || !layers.isObject()) {
            throw new IllegalArgumentException(source + " must map receiver model \"0\" from sharer model \"1\""
                    + " only ({\"0\": {\"1\": {\"<layer>\": [[<sharer layer>, <projector>]]}}}), got " + root);
        }
        TreeMap<Integer, List<LayerSource>> byLayer = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = layers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            byLayer.put(index(entry.getKey(), source), sources(entry.getKey(), entry.getValue(), source));
        }
        int receiverLayers = byLayer.isEmpty() ? 0 : byLayer.lastKey() + 1;
        List<List<LayerSource>> table = new ArrayList<>(receiverLayers);
        for (int t = 0; t < receiverLayers; t++) {
            table.add(byLayer.getOrDefault(t, List.of()));
        }
        return new TableLayerMap(table);
    }

    /** The JSON text of {@code map}, layers in ascending order; unfused layers are left out. */
    public static String format(LayerMap map) {
        ObjectNode layers = JSON.createObjectNode();
        for (int t = 0; t < map.receiverLayers(); t++) {
            List<LayerSource> sources = map.sources(t);
            if (sources.isEmpty()) {
                continue;
            }
            ArrayNode pairs = layers.putArray(Integer.toString(t));
            for (LayerSource s : sources) {
                pairs.addArray().add(s.sharerLayer()).add(s.projectorIndex());
            }
        }
        ObjectNode root = JSON.createObjectNode();
        root.putObject(RECEIVER_MODEL).set(SHARER_MODEL, layers);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of numbers cannot fail to serialise", e);
        }
    }

    private static int index(String key, String source) {
        if (!key.matches("\\d{1,9}")) {
            throw new IllegalArgumentException(source + ": receiver layer key \"" + key + "\" is not a layer index");
        }
        return Integer.parseInt(key);
    }

    private static List<LayerSource> sources(String layer, JsonNode pairs, String source) {
        if (!pairs.isArray()) {
            throw new IllegalArgumentException(
                    source + ": layer " + layer + " must list [sharer layer, projector] pairs, got " + pairs);
        }
        List<LayerSource> sources = new ArrayList<>(pairs.size());
        for (JsonNode pair : pairs) {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isInt() || !pair.get(1).isInt()
                    || pair.get(0).asInt() < 0 || pair.get(1).asInt() < 0) {
                throw new IllegalArgumentException(
                        source + ": layer " + layer + " has " + pair + " where [sharer layer, projector] was expected");
            }
            sources.add(new LayerSource(pair.get(0).asInt(), pair.get(1).asInt()));
        }
        return sources;
    }
}
