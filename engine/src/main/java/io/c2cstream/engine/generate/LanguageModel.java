package io.c2cstream.engine.generate;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.c2cstream.engine.model.TransformerModel;
import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.engine.tokenizer.ChatTemplate;
import io.c2cstream.engine.tokenizer.SpecialTokens;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A model directory as a user sees it: the transformer, its tokenizer and its chat template, turning
 * prompts into token ids and generated ids back into text.
 */
public final class LanguageModel implements AutoCloseable {
    private final Path dir;
    private final TransformerModel model;
    private final TextTokenizer tokenizer;
    private final Optional<ChatTemplate> chatTemplate;
    private final Set<Integer> stopTokens;

    private LanguageModel(Path dir, TransformerModel model, TextTokenizer tokenizer, Optional<ChatTemplate> chatTemplate,
                          Set<Integer> stopTokens) {
        this.dir = dir;
        this.model = model;
        this.tokenizer = tokenizer;
        this.chatTemplate = chatTemplate;
        this.stopTokens = stopTokens;
    }

    public static LanguageModel load(Path dir, Device device) {
        TextTokenizer tokenizer = TextTokenizer.load(dir);
        try {
            TransformerModel model = TransformerModel.load(dir, device);
            Set<Integer> stop = new LinkedHashSet<>(tokenizer.eosIds());
            stop.addAll(configEosIds(dir));
            return new LanguageModel(dir, model, tokenizer, ChatTemplate.fromTokenizerConfig(dir), Set.copyOf(stop));
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /** {@code eos_token_id} of config.json, a number or a list. */
    private static Set<Integer> configEosIds(Path dir) {
        try {
            JsonNode eos = new ObjectMapper().readTree(dir.resolve("config.json").toFile()).path("eos_token_id");
            Set<Integer> ids = new LinkedHashSet<>();
            if (eos.isArray()) {
                eos.forEach(id -> ids.add(id.asInt()));
            } else if (eos.canConvertToInt()) {
                ids.add(eos.asInt());
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("config.json"), e);
        }
    }

    public Path dir() {
        return dir;
    }

    public TransformerModel model() {
        return model;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public Optional<ChatTemplate> chatTemplate() {
        return chatTemplate;
    }

    /** Ids that end a generation: the tokenizer's and the model config's end-of-sequence tokens. */
    public Set<Integer> stopTokens() {
        return stopTokens;
    }

    /**
     * Token ids of a single-turn prompt. With {@code chat} the text becomes a user message rendered by the
     * model's chat template with the generation prompt and thinking disabled, as method §6.2 evaluates;
     * without it (or without a template) the text is encoded as is, after the BOS token when the
     * tokenizer has one.
     */
    public int[] encodePrompt(String text, boolean chat) {
        if (chat && chatTemplate.isPresent()) {
            return tokenizer.encode(chatTemplate.get().render(List.of(ChatMessage.user(text)), true, false));
        }
        int[] ids = tokenizer.encode(text);
        Optional<SpecialTokens.Token> bos = tokenizer.specialTokens().bos();
        if (bos.isEmpty() || (ids.length > 0 && ids[0] == bos.get().id())) {
            return ids;
        }
        int[] withBos = new int[ids.length + 1];
        withBos[0] = bos.get().id();
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
    }

    /** The chat template, or an error naming the model and what needed it. */
    public ChatTemplate requireChatTemplate(String purpose) {
        return chatTemplate.orElseThrow(() -> new IllegalArgumentException("model " + dir + " has no chat template ("
                + "tokenizer_config.json chat_template), which " + purpose + " needs"));
    }

    /** The id that fills padding slots: the pad token, else the end token, else 0 (padding is never attended to). */
    public int padId() {
        SpecialTokens special = tokenizer.specialTokens();
        return special.pad().or(special::eos).map(SpecialTokens.Token::id).orElse(0);
    }

    /** A generator that decodes text without special tokens and pads with {@link #padId()}. */
    public Generator generator() {
        return new Generator(model, tokenizer::decodeSkippingSpecial, padId());
    }

    /** Sampling settings with this model's stop tokens. */
    public SamplingConfig sampling(int maxNewTokens, double temperature, int topK, double topP, long seed) {
        return new SamplingConfig(maxNewTokens, temperature, topK, topP, seed, stopTokens);
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            tokenizer.close();
        }
    }
}
