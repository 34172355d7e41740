package io.c2cstream.operators;

import io.c2cstream.engine.c2c.C2cPrompt;
import io.c2cstream.engine.c2c.Mode;
import io.c2cstream.engine.c2c.ReceiverPrefill;
import io.c2cstream.schemas.avro.InferenceRequest;
import java.util.HashSet;
import java.util.Set;

/**
 * What the receiver stage holds in memory for one request between its arrival and its answer: the c2c prefill
 * in progress with the sharer segments received so far, and the stage timings. Rebuilt from keyed state after a
 * restore; {@link #close()} frees its native memory.
 */
final class InFlightRequest implements AutoCloseable {
    final InferenceRequest request;
    final Mode mode;
    /** Wall clock of arrival (µs since the epoch) and monotonic arrival for durations. */
    final long arrivedMicros;
    final long arrivedNanos;

    /** c2c: the receiver's sectioned prefill and the sharer's cache as it arrives. */
    ReceiverPrefill prefill;
    SegmentedKv sharerKv;
    /** c2c: the fused section waiting for segments, and its receiver layers already fused. */
    C2cPrompt.Section pendingSection;
    final Set<Integer> fusedLayers = new HashSet<>();

    /** When its lease timer fires (processing time, ms); −1 for a request resumed after a restore, whose timer
     *  was restored with the state. */
    long leaseEnd = -1;
    boolean decoding;
    String fallbackReason;
    long sharerPrefillMicros = -1;
    long sharerDecodeMicros = -1;
    long firstSentMicros = -1;
    long lastReceivedMicros = -1;
    long kvBytesReceived;
    int promptTokens;
    long receiverPrefillNanos;
    long fuseNanos;
    long firstTokenNanos;

    InFlightRequest(InferenceRequest request, long arrivedMicros) {
        this.request = request;
        this.mode = Requests.mode(request);
        this.arrivedMicros = arrivedMicros;
        this.arrivedNanos = System.nanoTime();
    }

    String id() {
        return request.getRequestId();
    }

    /** Heap and native bytes of KV this request holds outside the decoder. */
    long kvBytes(long prefillCacheBytes) {
        return (sharerKv == null ? 0 : sharerKv.bytes()) + (prefill == null ? 0 : prefillCacheBytes);
    }

    /** Drops the c2c work in progress (fallback, failure, cancellation). */
    void dropPrefill() {
        if (prefill != null) {
            prefill.close();
            prefill = null;
        }
        sharerKv = null;
        pendingSection = null;
    }

    @Override
    public void close() {
        dropPrefill();
    }
}
