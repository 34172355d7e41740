package io.c2cstream.engine.generate;

/**
 * One generated continuation.
 *
 * @param tokens       generated ids, the stop token included when one ended the sequence
 * @param text         the generated tokens decoded, special tokens left out
 * @param prefillMillis time to run the prompt and pick the first token
 * @param decodeMillis  time of the remaining decode steps
 */
public record Generation(int[] tokens, String text, FinishReason finishReason, double prefillMillis, double decodeMillis) {

    public enum FinishReason { STOP_TOKEN, MAX_TOKENS }

    /** Mean time per token after the first; 0 when only one token was generated. */
    public double perTokenMillis() {
        return tokens.length > 1 ? decodeMillis / (tokens.length - 1) : 0;
    }

    /** Generated tokens per second of decode (first token excluded, as it comes from the prefill). */
    public double decodeTokensPerSecond() {
        return decodeMillis > 0 ? (tokens.length - 1) * 1000.0 / decodeMillis : 0;
    }
}
