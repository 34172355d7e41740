package io.c2cstream.engine.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A Hugging Face tokenizer ({@code tokenizer.json}) that never adds special tokens by itself.
 *
 * <p>Encoding runs DJL's binding of the Rust {@code tokenizers} library, so byte-level BPE (Qwen,
 * Llama 3), SentencePiece-style BPE with byte fallback (Llama 2) and the other model types behave
 * exactly as in transformers. No BOS/EOS is inserted, nothing is truncated or padded and decoding
 * does no clean-up: prompts carry their special tokens explicitly (usually through a {@link
 * ChatTemplate}), so every id is visible to the caller.
 *
 * <p>The tokenizer holds native memory: {@link #close()} frees it.
 */
public final class TextTokenizer implements AutoCloseable {

    static final String TOKENIZER_FILE = "tokenizer.json";
    static final String TOKENIZER_CONFIG_FILE = "tokenizer_config.json";
    static final String GENERATION_CONFIG_FILE = "generation_config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    // tokenizer_config.json is deliberately not handed to DJL: DJL would then lower-case, prepend
    // spaces or clean up decoded text on its own, while transformers' fast tokenizers follow
    // tokenizer.json alone.
    private static final Map<String, String> RAW_OPTIONS =
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final Vocabulary vocabulary;
    private final SpecialTokens specialTokens;
    private final Set<Integer> eosIds;

    private TextTokenizer(
            HuggingFaceTokenizer tokenizer, Vocabulary vocabulary, SpecialTokens specialTokens, Set<Integer> eosIds) {
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
        this.specialTokens = specialTokens;
        this.eosIds = eosIds;
    }

    /**
     * Loads the tokenizer of a model directory: {@code tokenizer.json} (required), {@code
     * tokenizer_config.json} for the named special tokens and {@code generation_config.json} for
     * extra end-of-sequence ids (both optional).
     *
     * @throws IllegalArgumentException when {@code tokenizer.json} is missing or malformed
     * @throws UncheckedIOException when a file cannot be read
     */
    public static TextTokenizer load(Path modelDir) {
        Path tokenizerFile = modelDir.resolve(TOKENIZER_FILE);
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new IllegalArgumentException("no " + TOKENIZER_FILE + " in " + modelDir.toAbsolutePath()
                    + ": point to a Hugging Face model directory, or convert the model's tokenizer first");
        }
        Vocabulary vocabulary = Vocabulary.fromTokenizerJson(readJson(tokenizerFile), tokenizerFile.toString());
        Path configFile = modelDir.resolve(TOKENIZER_CONFIG_FILE);
        SpecialTokens specialTokens =
                SpecialTokens.fromTokenizerConfig(readJsonIfPresent(configFile), vocabulary, configFile.toString());
        Set<Integer> eosIds = eosIds(specialTokens, readJsonIfPresent(modelDir.resolve(GENERATION_CONFIG_FILE)));
        return new TextTokenizer(openNative(tokenizerFile), vocabulary, specialTokens, eosIds);
    }

    /** Token ids of {@code text}, without any special tokens added. */
    public int[] encode(String text) {
        return toInts(tokenizer.encode(text, false, false).getIds());
    }

    /** Token ids of {@code text} with the text span of each token (see {@link Encoding}). */
    public Encoding encodeWithOffsets(String text) {
        ai.djl.huggingface.tokenizers.Encoding encoding = tokenizer.encode(text, false, false);
        int[] ids = toInts(encoding.getIds());
        CharSpan[] spans = encoding.getCharTokenSpans();
        // The Rust library counts Unicode code points; Java strings index UTF-16 units.
        int[] utf16IndexOfCodePoint = utf16IndexOfCodePoint(text);
        int[] starts = new int[ids.length];
        int[] ends = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            starts[i] = utf16IndexOfCodePoint[spans[i].getStart()];
            ends[i] = utf16IndexOfCodePoint[spans[i].getEnd()];
        }
        return new Encoding(ids, starts, ends);
    }

    /** Text of {@code ids}, special tokens included, exactly as the tokenizer's decoder yields it. */
    public String decode(int[] ids) {
        return tokenizer.decode(toLongs(ids), false);
    }

    /** Text of {@code ids} without the special tokens ({@link SpecialTokens#specialIds()}). */
    public String decodeSkippingSpecial(int[] ids) {
        return tokenizer.decode(toLongs(ids), true);
    }

    /**
     * The vocabulary string of a token id, in the model's own alphabet (for byte-level BPE a space
     * reads {@code "Ġ"}).
     *
     * @throws IllegalArgumentException for an id outside the vocabulary
     */
    public String idToToken(int id) {
        return vocabulary.token(id);
    }

    /** The id of a vocabulary string ({@code "<|im_end|>"}, {@code "Ġthe"}), if it exists. */
    public OptionalInt tokenToId(String token) {
        return vocabulary.id(token);
    }

    /** Number of distinct token ids, added tokens included ({@code len(tokenizer)} in transformers). */
    public int vocabSize() {
        return vocabulary.size();
    }

    public SpecialTokens specialTokens() {
        return specialTokens;
    }

    /**
     * Ids that end generation: the config's {@code eos_token} followed by those of {@code
     * generation_config.json} ({@code eos_token_id}, a number or a list); unmodifiable, may be empty.
     */
    public Set<Integer> eosIds() {
        return eosIds;
    }

    /** Frees the native tokenizer; idempotent. */
    @Override
    public void close() {
        tokenizer.close();
    }

    private static HuggingFaceTokenizer openNative(Path tokenizerFile) {
        try (InputStream in = Files.newInputStream(tokenizerFile)) {
            return HuggingFaceTokenizer.newInstance(in, RAW_OPTIONS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tokenizerFile, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "the tokenizers library rejected " + tokenizerFile + ": " + e.getMessage(), e);
        }
    }

    private static Set<Integer> eosIds(SpecialTokens specialTokens, JsonNode generationConfig) {
        Set<Integer> ids = new LinkedHashSet<>();
        specialTokens.eos().ifPresent(eos -> ids.add(eos.id()));
        JsonNode configured = generationConfig.path("eos_token_id");
        if (configured.isIntegralNumber()) {
            ids.add(configured.asInt());
        }
        for (JsonNode id : configured) {
            ids.add(id.asInt());
        }
        return Collections.unmodifiableSet(ids);
    }

    private static JsonNode readJsonIfPresent(Path file) {
        return Files.isRegularFile(file) ? readJson(file) : MissingNode.getInstance();
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Maps each code point index of {@code text} (and the end) to its UTF-16 index. */
    private static int[] utf16IndexOfCodePoint(String text) {
        int[] index = new int[text.codePointCount(0, text.length()) + 1];
        int utf16 = 0;
        for (int codePoint = 0; codePoint < index.length - 1; codePoint++) {
            index[codePoint] = utf16;
            utf16 += Character.charCount(text.codePointAt(utf16));
        }
        index[index.length - 1] = utf16;
        return index;
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    private static long[] toLongs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}
