package io.c2cstream.engine.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.llama2c.Llama2cFixtures;
import io.c2cstream.engine.llama2c.Llama2cImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Tiny random Llama models with the fixture tokenizer and a simple chat template, for pipeline-level tests. */
public final class TinyChatModels {
    /** Role tags around each message; the generation prompt opens an assistant turn. */
    public static final String TEMPLATE = "{% for m in messages %}<{{ m.role }}>{{ m.content }}\n{% endfor %}"
            + "{% if add_generation_prompt %}<assistant>{% endif %}";

    private TinyChatModels() {}

    /** Writes a model directory {@code dir/name} whose weights come from {@code seed}. */
    public static Path write(Path dir, String name, long seed) {
        try {
            java.nio.file.Files.createDirectories(dir);
            Path bin = dir.resolve(name + ".bin");
            Path tok = dir.resolve(name + "-tok.bin");
            Llama2cFixtures.writeCheckpoint(Llama2cFixtures.randomCheckpoint(Llama2cFixtures.tinyConfig(true), seed), bin);
            Llama2cFixtures.writeTokenizer(tok);
            Path model = Llama2cImporter.importModel(bin, tok, dir.resolve(name)).dir();
            ObjectMapper json = new ObjectMapper();
            ObjectNode config = (ObjectNode) json.readTree(model.resolve("tokenizer_config.json").toFile());
            config.put("chat_template", TEMPLATE);
            json.writeValue(model.resolve("tokenizer_config.json").toFile(), config);
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
