package io.c2cstream.engine.align;

/**
 * A section of the inference {@code kv_cache_index} (method §4.2): a run of prompt tokens whose
 * receiver cache is either fused with the sharers' caches after the receiver has processed it, or
 * left as the receiver wrote it.
 *
 * @param start first token index
 * @param end token index just past the section
 * @param fused whether the section's cache is fused (index value: the sharer mask; otherwise -1)
 */
public record FusionSection(int start, int end, boolean fused) {

    public int length() {
        return end - start;
    }
}
