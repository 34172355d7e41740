package io.c2cstream.operators;

import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.c2c.C2cPrompt;
import io.c2cstream.engine.c2c.Mode;
import io.c2cstream.engine.c2c.PairPrompts;
import io.c2cstream.engine.c2c.SharerPrefill;
import io.c2cstream.engine.generate.ContinuousDecoder;
import io.c2cstream.engine.generate.SamplingConfig;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.schemas.avro.DeadLetterCode;
import io.c2cstream.schemas.avro.InferenceRequest;
import io.c2cstream.schemas.kv.KvSegmentCodec;
import io.c2cstream.schemas.kv.KvSegmentId;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The sharer stage, on the {@code sharer} slots. receiver_only requests pass it by.
 *
 * <ul>
 *   <li>c2c: prefills the sharer over the aligned prompt (never decoding) and sends its cache as KV segments, per
 *       layer group × token block, only the layers an open-gated projector reads; the cache is freed before the
 *       next record.</li>
 *   <li>t2t and sharer_only: prefills the background request (t2t) or the question (sharer_only) and writes the
 *       text with continuous batching ({@link MailboxDecoder}): every request being written advances in one
 *       batched step, and new requests join between steps.</li>
 * </ul>
 *
 * <p>A request being written is kept in keyed state until its text is sent, so that after a restore the writing
 * starts again; greedy or seeded generation writes the same text again, and the receiver sees it exactly once.
 */
public final class SharerOperator extends AbstractStreamOperator<SharerMessage>
        implements OneInputStreamOperator<InferenceRequest, SharerMessage>, BoundedOneInput {
    static final String WRITING_STATE = "writing";

    private final C2cJobConfig config;
    private transient LoadedPair pair;
    private transient KvSegmentCodec codec;
    private transient ValueState<InferenceRequest> writingState;
    private transient MailboxDecoder writer;
    private transient Histogram prefillMs;
    private transient Counter kvBytesSent;
    private transient Counter segmentsSent;

    public SharerOperator(C2cJobConfig config) {
        this.config = config;
    }

    @Override
    public void open() throws Exception {
        super.open();
        pair = ModelRegistry.acquire(config, GpuBinding.device(getRuntimeContext(), "sharer"));
        codec = KvSegmentCodec.builder().dtype(config.segmentDtype()).build();
        writingState = getPartitionedState(new ValueStateDescriptor<>(WRITING_STATE,
                new AvroTypeInfo<>(InferenceRequest.class)));
        var metrics = getMetricGroup();
        prefillMs = metrics.histogram("sharerPrefillMs", new DescriptiveStatisticsHistogram(1000));
        kvBytesSent = metrics.counter("kvBytesSent");
        segmentsSent = metrics.counter("kvSegmentsSent");
        if (pair.sharer() != null) {
            writer = new MailboxDecoder(pair.sharer(), config.maxDecodeBatch(), getProcessingTimeService(),
                    this::sendText);
            metrics.gauge("sharerWriting", (Gauge<Integer>) writer::active);
            // After a restore, every request whose text was not sent yet is written again.
            RestoredRequests.resume(this, WRITING_STATE, writingState,
                    request -> startWriting(request, Requests.mode(request)));
        }
    }

    @Override
    public void processElement(StreamRecord<InferenceRequest> element) throws Exception {
        InferenceRequest request = element.getValue();
        Mode mode = Requests.mode(request);
        String id = request.getRequestId();
        if (!mode.needsSharer()) {
            return;
        }
        if (pair.sharer() == null || mode == Mode.C2C && pair.fuser() == null) {
            emit(SharerMessage.failed(id, DeadLetterCode.UNKNOWN_MODEL.name(), "mode " + mode.wireName()
                    + " needs a sharer" + (mode == Mode.C2C ? " and a fuser" : "") + ", and this job has none"
                    + " configured (c2c.sharer, c2c.fuser)"));
            return;
        }
        if (mode == Mode.C2C) {
            try {
                sendCache(id, checked(pair.prompts().c2cPrompt(Requests.prompt(request))));
            } catch (PromptTooLongException e) {
                emit(SharerMessage.failed(id, DeadLetterCode.PROMPT_TOO_LONG.name(), e.getMessage()));
            } catch (IllegalArgumentException e) {
                emit(SharerMessage.failed(id, DeadLetterCode.INVALID_REQUEST.name(), e.getMessage()));
            }
            return;
        }
        writingState.update(request);
        startWriting(request, mode);
    }

    /** Prefills the text request under the current key and hands it to the batched writer. */
    private void startWriting(InferenceRequest request, Mode mode) throws Exception {
        String id = request.getRequestId();
        PairPrompts prompts = pair.prompts();
        long start = System.nanoTime();
        try {
            int[] ids;
            SamplingConfig sampling;
            switch (mode) {
                case SHARER_ONLY -> {
                    ids = checked(prompts.answerIds(pair.sharer(), Requests.prompt(request)));
                    sampling = Requests.sampling(pair.sharer(), request, config.maxNewTokens());
                }
                case T2T -> {
                    ids = checked(prompts.backgroundIds(Requests.prompt(request)));
                    sampling = prompts.backgroundSampling();
                }
                default -> throw new IllegalStateException("mode " + mode + " has no text from the sharer");
            }
            writer.prefillAndAdmit(id, ids, sampling, start);
        } catch (PromptTooLongException e) {
            failWriting(id, DeadLetterCode.PROMPT_TOO_LONG, e.getMessage());
        } catch (IllegalArgumentException e) {
            failWriting(id, DeadLetterCode.INVALID_REQUEST, e.getMessage());
        }
    }

    /** A text is written: sent under its own key, and forgotten. */
    private void sendText(ContinuousDecoder.Finished done) {
        setCurrentKey(done.id());
        writingState.clear();
        emit(SharerMessage.text(done.id(), done.generation()));
    }

    private void failWriting(String id, DeadLetterCode code, String message) {
        writingState.clear();
        emit(SharerMessage.failed(id, code.name(), message));
    }

    private void sendCache(String id, C2cPrompt prompt) {
        ModelConfig m = pair.sharer().model().config();
        String modelId = LoadedPair.versionOf(pair.sharer());
        List<SegmentPlan.Piece> pieces = SegmentPlan.pieces(pair.fuser(), prompt, codec, id, modelId, m.numKvHeads(),
                m.headDim(), config.segmentLayers(), config.maxSegmentBytes());
        long start = System.nanoTime();
        try (KvCache cache = SharerPrefill.run(pair.sharer().model(), prompt, 0);
             NDManager scope = NDManager.newBaseManager(pair.sharer().model().device())) {
            long prefillMicros = (System.nanoTime() - start) / 1000;
            prefillMs.update(prefillMicros / 1000);
            for (int i = 0; i < pieces.size(); i++) {
                try (NDManager piece = scope.newSubManager()) {
                    ByteBuffer encoded = codec.encode(new KvSegmentId(id, modelId, i, pieces.size()),
                            CacheSlices.read(cache, pieces.get(i), m.numKvHeads(), m.headDim(), piece));
                    byte[] bytes = new byte[encoded.remaining()];
                    encoded.get(bytes);
                    kvBytesSent.inc(bytes.length);
                    segmentsSent.inc();
                    emit(SharerMessage.segment(id, bytes, prefillMicros));
                }
            }
        }
    }

    private void emit(SharerMessage message) {
        output.collect(new StreamRecord<>(message));
    }

    private int[] checked(int[] ids) {
        if (ids.length > config.maxPromptTokens()) {
            throw new PromptTooLongException(ids.length, config.maxPromptTokens());
        }
        return ids;
    }

    private C2cPrompt checked(C2cPrompt prompt) {
        checked(prompt.receiverIds());
        return prompt;
    }

    /** The input is done: every text still being written is finished and sent before the stage ends. */
    @Override
    public void endInput() {
        if (writer != null) {
            writer.drain();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (writer != null) {
                writer.close();
                writer = null;
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
