package io.c2cstream.engine.zoo;

import io.c2cstream.engine.tokenizer.ChatTemplate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two zoo tokenizers: what differs between the receiver's Qwen3-like and the sharer's Llama-3-like one.
 * Both are byte-level BPEs trained by {@link BpeTrainer} on their own model's corpus with the same protected
 * words, so their vocabularies differ in size and content while names and values split alike.
 */
public enum ZooTokenizerSpec {

    /**
     * Qwen3-like: Qwen's pre-tokenizer regex (digits one by one), NFC normalisation, no BOS, {@code <|im_end|>}
     * ends a turn and generation, {@code <|endoftext|>} pads, and a ChatML template that writes the empty think
     * block when thinking is disabled, as Qwen3's does.
     */
    RECEIVER("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", 120, true,
            List.of(new AddedToken("<|endoftext|>", true), new AddedToken("<|im_start|>", true),
                    new AddedToken("<|im_end|>", true), new AddedToken("<think>", false),
                    new AddedToken("</think>", false)),
            null, "<|im_end|>", "<|endoftext|>", "Qwen2Tokenizer", """
            {%- if messages[0].role == 'system' %}
                {{- '<|im_start|>system\\n' + messages[0].content + '<|im_end|>\\n' }}
            {%- endif %}
            {%- set ns = namespace(last_query_index=messages|length - 1) %}
            {%- for message in messages %}
                {%- if message.role == 'user' %}
                    {%- set ns.last_query_index = loop.index0 %}
                {%- endif %}
            {%- endfor %}
            {%- for message in messages %}
                {%- if message.role == 'user' or (message.role == 'system' and not loop.first) %}
                    {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}
                {%- elif message.role == 'assistant' %}
                    {%- if loop.last and loop.index0 > ns.last_query_index %}
                        {{- '<|im_start|>assistant\\n<think>\\n\\n</think>\\n\\n' + message.content + '<|im_end|>\\n' }}
                    {%- else %}
                        {{- '<|im_start|>assistant\\n' + message.content + '<|im_end|>\\n' }}
                    {%- endif %}
                {%- endif %}
            {%- endfor %}
            {%- if add_generation_prompt %}
                {{- '<|im_start|>assistant\\n' }}
                {%- if enable_thinking is defined and enable_thinking is false %}
                    {{- '<think>\\n\\n</think>\\n\\n' }}
                {%- endif %}
            {%- endif %}
            """),

    /**
     * Llama-3-like: Llama 3's pre-tokenizer regex (digits in threes), no normalisation, {@code <|begin_of_text|>}
     * opens every prompt, {@code <|eot_id|>} ends a turn and generation, {@code <|end_of_text|>} pads, and
     * headers name each turn's role.
     */
    SHARER("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", 1000, false,
            List.of(new AddedToken("<|begin_of_text|>", true), new AddedToken("<|end_of_text|>", true),
                    new AddedToken("<|start_header_id|>", true), new AddedToken("<|end_header_id|>", true),
                    new AddedToken("<|eot_id|>", true)),
            "<|begin_of_text|>", "<|eot_id|>", "<|end_of_text|>", "PreTrainedTokenizerFast", """
            {{- bos_token }}
            {%- for message in messages %}
                {{- '<|start_header_id|>' + message.role + '<|end_header_id|>\\n\\n' + message.content + '<|eot_id|>' }}
            {%- endfor %}
            {%- if add_generation_prompt %}
                {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
            {%- endif %}
            """);

    /** A token matched before pre-tokenization; special ones are dropped when decoding skips special tokens. */
    public record AddedToken(String content, boolean special) {}

    private final String splitRegex;
    private final int learnedMerges;
    private final boolean nfc;
    private final List<AddedToken> addedTokens;
    private final String bos;
    private final String eos;
    private final String pad;
    private final String tokenizerClass;
    private final String chatTemplate;

    ZooTokenizerSpec(String splitRegex, int learnedMerges, boolean nfc, List<AddedToken> addedTokens, String bos,
            String eos, String pad, String tokenizerClass, String chatTemplate) {
        this.splitRegex = splitRegex;
        this.learnedMerges = learnedMerges;
        this.nfc = nfc;
        this.addedTokens = addedTokens;
        this.bos = bos;
        this.eos = eos;
        this.pad = pad;
        this.tokenizerClass = tokenizerClass;
        this.chatTemplate = chatTemplate;
    }

    /** The pre-tokenizer's split regex, in {@code tokenizer.json}'s (Rust regex) syntax. */
    public String splitRegex() {
        return splitRegex;
    }

    /**
     * Merges to learn after the forced ones; the trainer stops earlier when no pair repeats. The receiver learns
     * 120, enough for every word of the §6.2 prompt (its most frequent text) to become whole but not the words
     * of facts and background requests; the sharer learns every merge its smaller corpus repeats (about 80), so
     * each vocabulary has tokens the other lacks.
     */
    public int learnedMerges() {
        return learnedMerges;
    }

    /** Whether the normalizer applies NFC, as Qwen's does; zoo text is ASCII, so it changes nothing. */
    public boolean nfc() {
        return nfc;
    }

    public List<AddedToken> addedTokens() {
        return addedTokens;
    }

    public Optional<String> bos() {
        return Optional.ofNullable(bos);
    }

    public String eos() {
        return eos;
    }

    public String pad() {
        return pad;
    }

    /** {@code tokenizer_class} of {@code tokenizer_config.json}: which transformers class loads the files. */
    public String tokenizerClass() {
        return tokenizerClass;
    }

    /** The Jinja source of the chat template, as {@code tokenizer_config.json} carries it. */
    public String chatTemplateSource() {
        return chatTemplate;
    }

    /** The chat template with this tokenizer's special-token variables, as loading the files would give it. */
    public ChatTemplate chatTemplate() {
        Map<String, String> variables = new HashMap<>();
        bos().ifPresent(token -> variables.put("bos_token", token));
        variables.put("eos_token", eos);
        variables.put("pad_token", pad);
        return ChatTemplate.of(chatTemplate, variables);
    }

    /** A trainer with this tokenizer's regex that cuts text at its added tokens. */
    public BpeTrainer trainer() {
        return new BpeTrainer(splitRegex, addedTokens.stream().map(AddedToken::content).toList());
    }
}
