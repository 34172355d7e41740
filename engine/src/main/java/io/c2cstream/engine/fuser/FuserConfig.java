package io.c2cstream.engine.fuser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fuser directory's {@code config.json}: which models it joins and how (method §1.9, §3, §4.1). Field
 * names follow the reference recipe where it has them.
 *
 * @param receiverModel      receiver model name or path ({@code base_model})
 * @param sharerModel        sharer model name or path ({@code teacher_model})
 * @param tokenAlignment     the sharer needs its own tokens, aligned to the receiver's ({@code is_do_alignment})
 * @param alignmentStrategy  {@code "first"} or {@code "longest"} (method §3.1)
 * @param mapping            layer map strategy the projector_config.json was built with
 * @param fusionMode         {@code "sequential"} or {@code "parallel"} across several sharers (method §4.7)
 * @param projector          projector hyper-parameters, the same for every receiver layer
 */
public record FuserConfig(String receiverModel, String sharerModel, boolean tokenAlignment, String alignmentStrategy,
                          String mapping, String fusionMode, ProjectorConfig projector) {
    public static final String FILE_NAME = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public FuserConfig {
        if (!alignmentStrategy.equals("first") && !alignmentStrategy.equals("longest")) {
            throw new IllegalArgumentException("fuser key 'alignment_strategy' must be \"first\" or \"longest\", got \""
                    + alignmentStrategy + "\"");
        }
        if (!fusionMode.equals("sequential") && !fusionMode.equals("parallel")) {
            throw new IllegalArgumentException("fuser key 'multi_source_fusion_mode' must be \"sequential\" or"
                    + " \"parallel\", got \"" + fusionMode + "\"");
        }
    }

    public static FuserConfig read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("fuser directory " + dir + " has no " + FILE_NAME
                    + ": point --fuser at a directory written by c2c train-fuser");
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return new FuserConfig(n.path("base_model").asText(), n.path("teacher_model").asText(),
                    n.path("is_do_alignment").asBoolean(false), n.path("alignment_strategy").asText("longest"),
                    n.path("mapping").asText("last_aligned"), n.path("multi_source_fusion_mode").asText("sequential"),
                    ProjectorConfig.fromInitArgs(n.path("projector").path("params")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public void write(Path dir) {
        ObjectNode n = JSON.createObjectNode();
        n.put("base_model", receiverModel).put("teacher_model", sharerModel);
        n.put("is_do_alignment", tokenAlignment).put("alignment_strategy", alignmentStrategy);
        n.put("mapping", mapping).put("multi_source_fusion_mode", fusionMode);
        ObjectNode projectorNode = n.putObject("projector");
        projectorNode.put("type", "C2CProjector");
        projectorNode.set("params", projector.toInitArgs());
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE_NAME).toFile(), n);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE_NAME), e);
        }
    }
}
