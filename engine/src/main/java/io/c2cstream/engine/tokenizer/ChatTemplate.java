package io.c2cstream.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model's Hugging Face chat template: turns a conversation into the exact prompt text the model
 * was trained on, byte for byte as transformers' {@code apply_chat_template(..., tokenize=False)}
 * renders it (see {@link ChatTemplateEnvironment} for how Jinja is matched and where it is not).
 *
 * <p>The rendered text already contains the model's special tokens (BOS included where the template
 * writes it), so it must be encoded without adding any: {@link TextTokenizer#encode} does exactly
 * that.
 */
public final class ChatTemplate {

    /** Special-token variables transformers passes to every template, from tokenizer_config.json. */
    private static final List<String> TOKEN_VARIABLES = List.of("bos_token", "eos_token", "pad_token", "unk_token");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final Map<String, String> tokenVariables;

    private ChatTemplate(String source, Map<String, String> tokenVariables) {
        this.source = ChatTemplateEnvironment.normalizeSource(source);
        this.tokenVariables = Map.copyOf(tokenVariables);
    }

    /**
     * A template given as Jinja source.
     *
     * @param tokenVariables special-token strings by variable name ({@code "bos_token" ->
     *     "<|begin_of_text|>"}), visible to the template like in transformers
     */
    public static ChatTemplate of(String source, Map<String, String> tokenVariables) {
        return new ChatTemplate(source, tokenVariables);
    }

    /**
     * The template of {@code modelDir/tokenizer_config.json} ({@code chat_template}: a string, or a
     * list of named templates of which "default" is used), with its special-token variables; empty
     * when the model has no template, in which case callers prompt with plain text.
     *
     * @throws IllegalArgumentException when the config is malformed or names several templates but
     *     no "default"
     */
    public static Optional<ChatTemplate> fromTokenizerConfig(Path modelDir) {
        Path configFile = modelDir.resolve(TextTokenizer.TOKENIZER_CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) {
            return Optional.empty();
        }
        JsonNode config;
        try {
            config = JSON.readTree(configFile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + configFile, e);
        }
        Map<String, String> tokenVariables = new HashMap<>();
        for (String variable : TOKEN_VARIABLES) {
            SpecialTokens.tokenContent(config.path(variable)).ifPresent(text -> tokenVariables.put(variable, text));
        }
        return templateSource(config.path("chat_template"), configFile).map(source -> of(source, tokenVariables));
    }

    private static Optional<String> templateSource(JsonNode chatTemplate, Path configFile) {
        if (chatTemplate.isTextual()) {
            return Optional.of(chatTemplate.asText());
        }
        if (chatTemplate.isArray()) {
            for (JsonNode named : chatTemplate) {
                if ("default".equals(named.path("name").asText()) && named.path("template").isTextual()) {
                    return Optional.of(named.path("template").asText());
                }
            }
            throw new IllegalArgumentException(configFile + " lists several chat templates but none named \"default\":"
                    + " pick one with ChatTemplate.of(source, tokenVariables)");
        }
        return Optional.empty();
    }

    /**
     * Renders a conversation.
     *
     * @param addGenerationPrompt whether to end with the header of an assistant turn, so that the
     *     model's continuation is its reply
     * @param extraVariables further template variables, as keyword arguments of {@code
     *     apply_chat_template} ({@code enable_thinking}, {@code date_string}, ...)
     * @throws ChatTemplateException when the template rejects the conversation or cannot be rendered
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extraVariables) {
        if (extraVariables.containsKey("messages") || extraVariables.containsKey("add_generation_prompt")) {
            throw new IllegalArgumentException("messages and add_generation_prompt are parameters, not extra variables");
        }
        Map<String, Object> variables = new HashMap<>(tokenVariables);
        variables.putAll(extraVariables);
        variables.put("messages", asTemplateValues(messages));
        variables.put("add_generation_prompt", addGenerationPrompt);
        return ChatTemplateEnvironment.render(source, variables);
    }

    /** Renders a conversation with {@code enable_thinking} set, as thinking models (Qwen3) read it. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, boolean enableThinking) {
        return render(messages, addGenerationPrompt, Map.of("enable_thinking", enableThinking));
    }

    private static List<Map<String, Object>> asTemplateValues(List<ChatMessage> messages) {
        List<Map<String, Object>> values = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("role", message.role());
            value.put("content", message.content());
            values.add(value);
        }
        return values;
    }
}
