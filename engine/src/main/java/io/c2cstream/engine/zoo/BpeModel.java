package io.c2cstream.engine.zoo;

import java.util.List;

/**
 * A trained byte-level BPE model, tokens and merges in GPT-2's byte-level alphabet ({@link ByteLevel}).
 *
 * @param vocabulary the tokens in id order: the 256 byte tokens, then one per distinct merge result
 * @param merges     the merges in rank order, each {@code "left right"} as {@code tokenizer.json} lists them
 */
public record BpeModel(List<String> vocabulary, List<String> merges) {

    public BpeModel {
        vocabulary = List.copyOf(vocabulary);
        merges = List.copyOf(merges);
    }
}
