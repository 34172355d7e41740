package io.c2cstream.operators;

import io.c2cstream.engine.c2c.C2cPrompt;
import io.c2cstream.engine.c2c.Mode;
import io.c2cstream.engine.c2c.ReceiverPrefill;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.generate.ContinuousDecoder;
import io.c2cstream.engine.generate.Generation;
import io.c2cstream.engine.generate.SamplingConfig;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.schemas.avro.DeadLetterCode;
import io.c2cstream.schemas.avro.FinishReason;
import io.c2cstream.schemas.avro.InferenceRequest;
import io.c2cstream.schemas.avro.InferenceResponse;
import io.c2cstream.schemas.avro.StageTimings;
import io.c2cstream.schemas.kv.KvSegmentCodec;
import io.c2cstream.schemas.kv.KvSegmentException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The receiver stage, on the {@code receiver} slots: receiver prefill, fusion and decode in one operator, because
 * the fused cache must stay in the memory it was built in (it never crosses a serialization boundary).
 *
 * <ul>
 *   <li>Input 1, the request, starts the receiver's prefill at once, concurrently with the sharer stage. For c2c the
 *       prefill runs section by section (method §4.3) and stops after each fused section until the sharer layers
 *       that section needs have arrived; each receiver layer is fused as soon as its sharer layer is complete.</li>
 *   <li>Input 2 brings the sharer's segments (c2c) or text (t2t background, sharer_only answer).</li>
 *   <li>Prefilled requests join a {@link ContinuousDecoder}: one batched step for every in-flight request, run
 *       from the task's mailbox between records, so new requests join while others decode.</li>
 * </ul>
 *
 * <p>Keyed state holds what a restore needs to redo a request: the request and the sharer messages received. A
 * lease timer per request answers it receiver_only (fallback) or dead-letters it when the sharer is late. When the
 * KV bytes in flight exceed {@code c2c.receiver.max-inflight-kv-bytes}, a new request waits while decoding
 * continues: back-pressure instead of running out of memory. Native memory of a request is freed when it is
 * answered, failed, or the operator closes.
 */
public final class ReceiverOperator extends AbstractStreamOperator<InferenceResponse>
        implements TwoInputStreamOperator<InferenceRequest, SharerMessage, InferenceResponse>, BoundedMultiInput,
        Triggerable<String, VoidNamespace> {
    static final String REQUEST_STATE = "request";

    private final C2cJobConfig config;
    private transient LoadedPair pair;
    private transient KvSegmentCodec codec;
    private transient ValueState<InferenceRequest> requestState;
    private transient ListState<SharerMessage> receivedState;
    private transient ValueState<Boolean> answeredState;
    private transient InternalTimerService<VoidNamespace> leases;
    private transient Map<String, InFlightRequest> inFlight;
    private transient MailboxDecoder decoder;
    private transient ReceiverMetrics metrics;
    private transient int endedInputs;

    public ReceiverOperator(C2cJobConfig config) {
        this.config = config;
    }

    @Override
    public void open() throws Exception {
        super.open();
        pair = ModelRegistry.acquire(config, GpuBinding.device(getRuntimeContext(), "receiver"));
        codec = KvSegmentCodec.builder().build();
        requestState = getPartitionedState(new ValueStateDescriptor<>(REQUEST_STATE,
                new AvroTypeInfo<>(InferenceRequest.class)));
        receivedState = getPartitionedState(new ListStateDescriptor<>("sharer-messages",
                TypeInformation.of(SharerMessage.class)));
        ValueStateDescriptor<Boolean> answered = new ValueStateDescriptor<>("answered", Types.BOOLEAN);
        // Remembers answered requests long enough to drop the sharer's late messages, then forgets them.
        answered.enableTimeToLive(StateTtlConfig.newBuilder(java.time.Duration.ofMillis(4 * config.leaseMillis()))
                .build());
        answeredState = getPartitionedState(answered);
        leases = getInternalTimerService("leases", VoidNamespaceSerializer.INSTANCE, this);
        inFlight = new HashMap<>();
        decoder = new MailboxDecoder(pair.receiver(), config.maxDecodeBatch(), getProcessingTimeService(),
                this::answer);
        metrics = new ReceiverMetrics(getMetricGroup(), () -> inFlight.size(), this::inFlightKvBytes);
        // After a restore, every request in keyed state is redone from its request and the sharer messages kept.
        RestoredRequests.resume(this, REQUEST_STATE, requestState, request -> start(request, now()));
    }

    @Override
    public void processElement1(StreamRecord<InferenceRequest> element) throws Exception {
        InferenceRequest request = element.getValue();
        applyBackPressure();
        requestState.update(request);
        long leaseEnd = getProcessingTimeService().getCurrentProcessingTime() + config.leaseMillis();
        leases.registerProcessingTimeTimer(VoidNamespace.INSTANCE, leaseEnd);
        start(request, now()).leaseEnd = leaseEnd;
    }

    @Override
    public void processElement2(StreamRecord<SharerMessage> element) throws Exception {
        SharerMessage message = element.getValue();
        if (Boolean.TRUE.equals(answeredState.value())) {
            metrics.lateMessages.inc();
            return;
        }
        receivedState.add(message);
        InFlightRequest f = inFlight.get(message.requestId());
        if (f != null) {
            handle(f, message);
        }
    }

    /** Starts a request; sharer messages that arrived before it (the two inputs race) are applied at once. */
    private InFlightRequest start(InferenceRequest request, long arrivedMicros) throws Exception {
        InFlightRequest f = new InFlightRequest(request, arrivedMicros);
        inFlight.put(f.id(), f);
        try {
            switch (f.mode) {
                case RECEIVER_ONLY -> prefillAndAdmit(f, pair.prompts().answerIds(pair.receiver(), Requests.prompt(request)));
                case C2C -> startC2c(f);
                case SHARER_ONLY, T2T -> { } // waits for the sharer's text
                default -> throw new IllegalStateException("unknown mode " + f.mode);
            }
            List<SharerMessage> early = new ArrayList<>();
            Iterable<SharerMessage> kept = receivedState.get();
            if (kept != null) { // some backends answer null for an empty list
                kept.forEach(early::add);
            }
            for (SharerMessage m : early) {
                if (inFlight.get(f.id()) == f) {
                    handle(f, m);
                }
            }
        } catch (PromptTooLongException e) {
            fail(f, DeadLetterCode.PROMPT_TOO_LONG, e.getMessage());
        } catch (IllegalArgumentException e) {
            fail(f, DeadLetterCode.INVALID_REQUEST, e.getMessage());
        }
        return f;
    }

    private void startC2c(InFlightRequest f) {
        C2cFuser fuser = pair.fuser();
        if (fuser == null || pair.sharer() == null) {
            fail(f, DeadLetterCode.UNKNOWN_MODEL, "mode c2c needs a sharer and a fuser, and this job has none"
                    + " configured (c2c.sharer, c2c.fuser)");
            return;
        }
        C2cPrompt prompt = pair.prompts().c2cPrompt(Requests.prompt(f.request));
        checkLength(prompt.length());
        f.promptTokens = prompt.length();
        ModelConfig sharer = pair.sharer().model().config();
        f.prefill = new ReceiverPrefill(pair.receiver().model(), prompt, sampling(f).maxNewTokens());
        f.sharerKv = new SegmentedKv(sharer.numKvHeads(), sharer.headDim());
        advanceC2c(f);
    }

    private void handle(InFlightRequest f, SharerMessage m) throws Exception {
        switch (m.kind()) {
            case FAILED -> fail(f, DeadLetterCode.valueOf(m.errorCode()), m.errorMessage());
            case TEXT -> onSharerText(f, m);
            case SEGMENT -> onSegment(f, m);
            default -> throw new IllegalStateException("unknown sharer message " + m.kind());
        }
    }

    private void onSharerText(InFlightRequest f, SharerMessage m) throws Exception {
        if (f.decoding) {
            return; // already answered receiver_only after the lease expired
        }
        f.sharerPrefillMicros = m.prefillMicros();
        f.sharerDecodeMicros = m.decodeMicros();
        if (f.mode == Mode.SHARER_ONLY) {
            int[] tokens = m.tokens();
            Generation g = new Generation(tokens, m.text(), m.stopped() ? Generation.FinishReason.STOP_TOKEN
                    : Generation.FinishReason.MAX_TOKENS, m.prefillMicros() / 1000.0, m.decodeMicros() / 1000.0);
            respond(f, g, LoadedPair.versionOf(pair.sharer()));
            return;
        }
        prefillAndAdmit(f, pair.prompts().t2tAnswerIds(Requests.prompt(f.request), m.text()));
    }

    private void onSegment(InFlightRequest f, SharerMessage m) throws Exception {
        if (f.sharerKv == null) {
            return; // the c2c attempt was given up (lease): the cache is no longer wanted
        }
        try {
            f.sharerKv.add(codec.decode(ByteBuffer.wrap(m.segment()).order(ByteOrder.LITTLE_ENDIAN)));
        } catch (KvSegmentException e) {
            giveUpOnSharer(f, DeadLetterCode.CORRUPT_SEGMENT, "corrupt KV segment from the sharer: " + e.getMessage());
            return;
        }
        f.sharerPrefillMicros = m.prefillMicros();
        f.firstSentMicros = f.firstSentMicros < 0 ? m.sentAtMicros() : Math.min(f.firstSentMicros, m.sentAtMicros());
        f.lastReceivedMicros = now();
        f.kvBytesReceived += m.segment().length;
        advanceC2c(f);
    }

    /**
     * Prefills and fuses as far as the segments received allow: each fused section is fused layer by layer as its
     * sharer layer completes, and the next section is prefilled only once every layer of this one is fused.
     */
    private void advanceC2c(InFlightRequest f) {
        C2cFuser fuser = pair.fuser();
        while (true) {
            if (f.pendingSection == null) {
                if (f.prefill.finished()) {
                    admitC2c(f);
                    return;
                }
                long t = System.nanoTime();
                C2cPrompt.Section s = f.prefill.prefillNext();
                f.receiverPrefillNanos += System.nanoTime() - t;
                if (!s.fused()) {
                    continue;
                }
                f.pendingSection = s;
                f.fusedLayers.clear();
            }
            C2cPrompt.Section s = f.pendingSection;
            boolean complete = true;
            long t = System.nanoTime();
            for (int layer = 0; layer < fuser.layerMap().receiverLayers(); layer++) {
                if (!fuser.fusesLayer(layer) || f.fusedLayers.contains(layer)) {
                    continue;
                }
                if (f.sharerKv.covers(fuser.sharerLayerOf(layer), s.from(), s.to())) {
                    fuser.fuseLayer(f.prefill.cache(), layer, f.sharerKv, s.from(), s.to());
                    f.fusedLayers.add(layer);
                } else {
                    complete = false;
                }
            }
            f.fuseNanos += System.nanoTime() - t;
            if (!complete) {
                return;
            }
            f.pendingSection = null;
        }
    }

    private void admitC2c(InFlightRequest f) {
        ReceiverPrefill prefill = f.prefill;
        KvCache cache = prefill.takeCache();
        f.prefill = null;
        f.sharerKv = null;
        try {
            f.decoding = true;
            decoder.admit(f.id(), cache, prefill.lastLogits(), sampling(f), f.arrivedNanos);
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        } finally {
            prefill.close();
        }
    }

    /** Prefills a whole prompt in one forward pass, as {@code Generator.generate} does, then decodes it. */
    private void prefillAndAdmit(InFlightRequest f, int[] ids) {
        checkLength(ids.length);
        f.decoding = true;
        f.receiverPrefillNanos += decoder.prefillAndAdmit(f.id(), ids, sampling(f), f.arrivedNanos);
    }

    private SamplingConfig sampling(InFlightRequest f) {
        return Requests.sampling(pair.receiver(), f.request, config.maxNewTokens());
    }

    private void checkLength(int tokens) {
        if (tokens > config.maxPromptTokens()) {
            throw new PromptTooLongException(tokens, config.maxPromptTokens());
        }
    }

    /** While the KV bytes in flight are over the limit, decoding runs and no new request is read. */
    private void applyBackPressure() {
        while (inFlightKvBytes() > config.maxInflightKvBytes() && decoder.active() > 0) {
            decoder.step();
        }
    }

    private long inFlightKvBytes() {
        long bytes = decoder.kvBytes();
        for (InFlightRequest f : inFlight.values()) {
            bytes += f.kvBytes(f.prefill == null ? 0 : cacheBytes(f.prefill.cache()));
        }
        return bytes;
    }

    private long cacheBytes(KvCache cache) {
        ModelConfig c = pair.receiver().model().config();
        return 2L * c.numLayers() * c.numKvHeads() * c.headDim() * Float.BYTES * cache.capacity();
    }

    /** A decoded request is answered under its own key. */
    private void answer(ContinuousDecoder.Finished done) {
        setCurrentKey(done.id());
        respond(inFlight.get(done.id()), done.generation(), LoadedPair.versionOf(pair.receiver()));
    }

    /** The lease of the request under the current key ran out. */
    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        InFlightRequest f = inFlight.get(timer.getKey());
        if (f == null || f.decoding) {
            return;
        }
        giveUpOnSharer(f, DeadLetterCode.DEADLINE_EXCEEDED, "the sharer did not deliver within the lease of "
                + config.leaseMillis() + " ms (c2c.lease.ms)");
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
        // Leases run on processing time only.
    }

    /** The sharer's part is missing or broken: answer receiver_only with a fallback flag, or fail, by configuration. */
    private void giveUpOnSharer(InFlightRequest f, DeadLetterCode code, String reason) {
        f.dropPrefill();
        if (config.failOnLeaseExpiry() || f.mode == Mode.SHARER_ONLY) {
            fail(f, code, reason);
            return;
        }
        f.fallbackReason = reason;
        metrics.fallbacks.inc();
        prefillAndAdmit(f, pair.prompts().answerIds(pair.receiver(), Requests.prompt(f.request)));
    }

    private void respond(InFlightRequest f, Generation g, String answeringModel) {
        int[] tokens = g.tokens();
        boolean stopped = g.finishReason() == Generation.FinishReason.STOP_TOKEN;
        List<Integer> ids = new ArrayList<>();
        Arrays.stream(stopped ? Arrays.copyOf(tokens, tokens.length - 1) : tokens).forEach(ids::add);
        boolean fallback = f.fallbackReason != null;
        Mode used = fallback ? Mode.RECEIVER_ONLY : f.mode;
        long latencyMicros = (System.nanoTime() - f.arrivedNanos) / 1000;
        InferenceResponse response = InferenceResponse.newBuilder()
                .setRequestId(f.id())
                .setMode(io.c2cstream.schemas.avro.Mode.valueOf(used.name()))
                .setAnswer(g.text())
                .setTokenIds(ids)
                .setFinishReason(stopped ? FinishReason.STOP : FinishReason.LENGTH)
                .setTimings(timings(f, g, used))
                .setLatencyMicros(latencyMicros)
                .setFallback(fallback)
                .setFallbackReason(f.fallbackReason)
                .setReceiverModelVersion(used == Mode.SHARER_ONLY ? null : answeringModel)
                .setSharerModelVersion(used.needsSharer() ? LoadedPair.versionOf(pair.sharer()) : null)
                .setFuserVersion(used == Mode.C2C ? config.fuserDir().getFileName().toString() : null)
                .build();
        record(f, g, used, latencyMicros);
        output.collect(new StreamRecord<>(response));
        finish(f);
    }

    private StageTimings timings(InFlightRequest f, Generation g, Mode used) {
        StageTimings.Builder t = StageTimings.newBuilder();
        if (used == Mode.SHARER_ONLY) {
            return t.setSharerPrefillMicros(f.sharerPrefillMicros).setSharerDecodeMicros(f.sharerDecodeMicros).build();
        }
        t.setReceiverPrefillMicros(f.receiverPrefillNanos / 1000).setDecodeMicros(Math.round(g.decodeMillis() * 1000));
        if (used == Mode.T2T) {
            t.setSharerDecodeMicros(f.sharerPrefillMicros + f.sharerDecodeMicros);
        }
        if (used == Mode.C2C) {
            t.setSharerPrefillMicros(f.sharerPrefillMicros).setFuseMicros(f.fuseNanos / 1000)
                    .setTransferMicros(f.firstSentMicros < 0 ? 0 : Math.max(0, f.lastReceivedMicros - f.firstSentMicros));
        }
        return t.build();
    }

    private void record(InFlightRequest f, Generation g, Mode used, long latencyMicros) {
        metrics.responses.inc();
        metrics.ttftMs.update(Math.round(latencyMicros / 1000.0 - g.decodeMillis()));
        metrics.tpotMs.update(Math.round(g.perTokenMillis()));
        metrics.decodeMs.update(Math.round(g.decodeMillis()));
        metrics.receiverPrefillMs.update(f.receiverPrefillNanos / 1_000_000);
        if (used == Mode.C2C) {
            metrics.fuseMs.update(f.fuseNanos / 1_000_000);
            metrics.transferMs.update(Math.max(0, f.lastReceivedMicros - f.firstSentMicros) / 1000);
            metrics.kvBytesPerRequest.update(f.kvBytesReceived);
            metrics.kvBytesPerToken.update(f.kvBytesReceived / Math.max(1, f.promptTokens));
        }
    }

    private void fail(InFlightRequest f, DeadLetterCode code, String message) {
        metrics.deadLetters.inc();
        output.collect(DeadLetters.TAG, new StreamRecord<>(DeadLetters.of(f.request, code, message)));
        finish(f);
    }

    /** Forgets a request that has been answered or failed: memory, keyed state and its lease. */
    private void finish(InFlightRequest f) {
        inFlight.remove(f.id());
        f.close();
        requestState.clear();
        receivedState.clear();
        try {
            answeredState.update(true);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot mark request " + f.id() + " answered in keyed state", e);
        }
        if (f.leaseEnd >= 0) {
            leases.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, f.leaseEnd);
        }
    }

    private static long now() {
        return SharerMessage.nowMicros();
    }

    @Override
    public void endInput(int inputId) {
        if (++endedInputs < 2) {
            return;
        }
        // Both inputs are done: nothing more can arrive for requests still waiting on the sharer.
        for (InFlightRequest f : new ArrayList<>(inFlight.values())) {
            if (!f.decoding) {
                setCurrentKey(f.id());
                giveUpOnSharer(f, DeadLetterCode.DEADLINE_EXCEEDED, "the input ended before the sharer delivered");
            }
        }
        decoder.drain();
    }

    @Override
    public void close() throws Exception {
        try {
            if (inFlight != null) {
                inFlight.values().forEach(InFlightRequest::close);
                inFlight.clear();
            }
            if (decoder != null) {
                decoder.close();
            }
            if (pair != null) {
                ModelRegistry.release(pair);
                pair = null;
            }
        } finally {
            super.close();
        }
    }
}
