package io.c2cstream.engine.zoo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.zoo.ZooTokenizerSpec.AddedToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a trained {@link BpeModel} as a Hugging Face tokenizer: {@code tokenizer.json} (a byte-level BPE laid
 * out like Qwen's and Llama 3's: regex split, byte-level pre-tokenizer, post-processor and decoder, added tokens
 * after the vocabulary) and {@code tokenizer_config.json} (named special tokens and the chat template).
 */
public final class TokenizerFiles {

    static final String TOKENIZER_FILE = "tokenizer.json";
    static final String TOKENIZER_CONFIG_FILE = "tokenizer_config.json";

    private static final int MODEL_MAX_LENGTH = 2048;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TokenizerFiles() {}

    /** Writes both files into {@code dir} (created if needed) and returns it. */
    public static Path write(Path dir, ZooTokenizerSpec spec, BpeModel model) {
        try {
            Files.createDirectories(dir);
            writeJson(dir.resolve(TOKENIZER_FILE), tokenizerJson(spec, model));
            writeJson(dir.resolve(TOKENIZER_CONFIG_FILE), tokenizerConfig(spec, model));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokenizer into " + dir, e);
        }
        return dir;
    }

    private static void writeJson(Path file, ObjectNode json) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(json) + "\n");
    }

    static ObjectNode tokenizerJson(ZooTokenizerSpec spec, BpeModel model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        List<AddedToken> tokens = spec.addedTokens();
        for (int i = 0; i < tokens.size(); i++) {
            ObjectNode token = added.addObject();
            token.put("id", model.vocabulary().size() + i);
            token.put("content", tokens.get(i).content());
            token.put("single_word", false);
            token.put("lstrip", false);
            token.put("rstrip", false);
            token.put("normalized", false);
            token.put("special", tokens.get(i).special());
        }
        if (spec.nfc()) {
            root.putObject("normalizer").put("type", "NFC");
        } else {
            root.putNull("normalizer");
        }
        ObjectNode preTokenizer = root.putObject("pre_tokenizer");
        preTokenizer.put("type", "Sequence");
        ArrayNode steps = preTokenizer.putArray("pretokenizers");
        ObjectNode split = steps.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", spec.splitRegex());
        split.put("behavior", "Isolated");
        split.put("invert", false);
        steps.add(byteLevel());
        root.set("post_processor", byteLevel());
        root.set("decoder", byteLevel());
        ObjectNode bpe = root.putObject("model");
        bpe.put("type", "BPE");
        bpe.putNull("dropout");
        bpe.putNull("unk_token");
        bpe.putNull("continuing_subword_prefix");
        bpe.putNull("end_of_word_suffix");
        bpe.put("fuse_unk", false);
        bpe.put("byte_fallback", false);
        bpe.put("ignore_merges", false);
        ObjectNode vocab = bpe.putObject("vocab");
        for (int id = 0; id < model.vocabulary().size(); id++) {
            vocab.put(model.vocabulary().get(id), id);
        }
        ArrayNode merges = bpe.putArray("merges");
        model.merges().forEach(merges::add);
        return root;
    }

    /** The byte-level step; the regex split before it does the splitting, so its own regex is off. */
    private static ObjectNode byteLevel() {
        ObjectNode step = JSON.createObjectNode();
        step.put("type", "ByteLevel");
        step.put("add_prefix_space", false);
        step.put("trim_offsets", false);
        step.put("use_regex", false);
        return step;
    }

    static ObjectNode tokenizerConfig(ZooTokenizerSpec spec, BpeModel model) {
        ObjectNode config = JSON.createObjectNode();
        config.put("add_bos_token", false);
        config.put("add_prefix_space", false);
        ObjectNode decoderTokens = config.putObject("added_tokens_decoder");
        List<AddedToken> tokens = spec.addedTokens();
        for (int i = 0; i < tokens.size(); i++) {
            ObjectNode token = decoderTokens.putObject(String.valueOf(model.vocabulary().size() + i));
            token.put("content", tokens.get(i).content());
            token.put("lstrip", false);
            token.put("normalized", false);
            token.put("rstrip", false);
            token.put("single_word", false);
            token.put("special", tokens.get(i).special());
        }
        spec.bos().ifPresentOrElse(bos -> config.put("bos_token", bos), () -> config.putNull("bos_token"));
        config.put("chat_template", spec.chatTemplateSource());
        config.put("clean_up_tokenization_spaces", false);
        config.put("eos_token", spec.eos());
        config.put("model_max_length", MODEL_MAX_LENGTH);
        config.put("pad_token", spec.pad());
        config.put("tokenizer_class", spec.tokenizerClass());
        config.putNull("unk_token");
        return config;
    }
}
