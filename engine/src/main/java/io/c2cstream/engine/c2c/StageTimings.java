package io.c2cstream.engine.c2c;

/**
 * Wall-clock milliseconds per stage of one answer. A stage a mode does not have is 0.
 *
 * @param sharerPrefillMs sharer prefill over the fused sections (c2c), on its own thread beside the receiver's
 *                        prefill: c2c's stages can add up to more than its latency
 * @param receiverPrefillMs receiver prefill of the prompt, final token included
 * @param fuseMs           projecting and fusing the caches (c2c)
 * @param decodeMs         receiver (or, for sharer_only, sharer) decode after the first token
 * @param sharerDecodeMs   the sharer writing its background text, prefill included (t2t)
 */
public record StageTimings(double sharerPrefillMs, double receiverPrefillMs, double fuseMs, double decodeMs,
                           double sharerDecodeMs) {

    /** The stages added up: the latency of a sequential answer, more than it where stages overlap. */
    public double totalMs() {
        return sharerPrefillMs + receiverPrefillMs + fuseMs + decodeMs + sharerDecodeMs;
    }
}
