package io.c2cstream.operators;

import io.c2cstream.engine.generate.Generation;

/**
 * What the sharer stage sends the receiver stage for one request (keyed by {@code requestId}): one KV
 * {@code SEGMENT} of its cache (c2c), its generated {@code TEXT} (the background of t2t, the answer of
 * sharer_only), or {@code FAILED} when it could not serve the request. A Flink POJO: fields the kind does not
 * use are null or 0.
 *
 * @param segment        the encoded segment (KvSegmentCodec), for SEGMENT
 * @param text           generated text, for TEXT
 * @param tokens         generated ids (stop token included), for TEXT
 * @param stopped        whether a stop token ended the text, for TEXT
 * @param prefillMicros  the sharer's prefill time
 * @param decodeMicros   the sharer's decode time, for TEXT
 * @param sentAtMicros   wall-clock time the message left the sharer (epoch µs), for the transfer time
 * @param errorCode      a DeadLetterCode name, for FAILED
 * @param errorMessage   what went wrong and what to do, for FAILED
 */
public record SharerMessage(String requestId, Kind kind, byte[] segment, String text, int[] tokens, boolean stopped,
                            long prefillMicros, long decodeMicros, long sentAtMicros, String errorCode,
                            String errorMessage) {

    public enum Kind { SEGMENT, TEXT, FAILED }

    static SharerMessage segment(String requestId, byte[] segment, long prefillMicros) {
        return new SharerMessage(requestId, Kind.SEGMENT, segment, null, null, false, prefillMicros, 0, nowMicros(),
                null, null);
    }

    static SharerMessage text(String requestId, Generation g) {
        return new SharerMessage(requestId, Kind.TEXT, null, g.text(), g.tokens(),
                g.finishReason() == Generation.FinishReason.STOP_TOKEN, Math.round(g.prefillMillis() * 1000),
                Math.round(g.decodeMillis() * 1000), nowMicros(), null, null);
    }

    static SharerMessage failed(String requestId, String errorCode, String errorMessage) {
        return new SharerMessage(requestId, Kind.FAILED, null, null, null, false, 0, 0, nowMicros(), errorCode,
                errorMessage);
    }

    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }
}
