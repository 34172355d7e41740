package io.c2cstream.operators;

import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.c2c.C2cPrompt;
import io.c2cstream.engine.c2c.Mode;
import io.c2cstream.engine.c2c.PairPrompts;
import io.c2cstream.engine.c2c.SharerPrefill;
import io.c2cstream.engine.generate.Generation;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.schemas.avro.DeadLetterCode;
import io.c2cstream.schemas.avro.InferenceRequest;
import io.c2cstream.schemas.kv.KvSegmentCodec;
import io.c2cstream.schemas.kv.KvSegmentId;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The sharer stage, on the {@code sharer} slots. For c2c it prefills the sharer over the aligned prompt (never
 * decoding) and sends its cache as KV segments, per layer group × token block, only the layers an open-gated
 * projector reads; for t2t it writes the background text and for sharer_only the answer. receiver_only requests
 * pass it by. The cache is freed before the next request: nothing native outlives a call.
 */
public final class SharerPrefillFunction extends KeyedProcessFunction<String, InferenceRequest, SharerMessage> {
    private final C2cJobConfig config;
    private transient LoadedPair pair;
    private transient KvSegmentCodec codec;
    private transient Histogram prefillMs;
    private transient Counter kvBytesSent;
    private transient Counter segmentsSent;

    public SharerPrefillFunction(C2cJobConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext context) {
        pair = ModelRegistry.acquire(config, GpuBinding.device(getRuntimeContext(), "sharer prefill"));
        codec = KvSegmentCodec.builder().dtype(config.segmentDtype()).build();
        var metrics = getRuntimeContext().getMetricGroup();
        prefillMs = metrics.histogram("sharerPrefillMs", new DescriptiveStatisticsHistogram(1000));
        kvBytesSent = metrics.counter("kvBytesSent");
        segmentsSent = metrics.counter("kvSegmentsSent");
    }

    @Override
    public void processElement(InferenceRequest request, Context ctx, Collector<SharerMessage> out) {
        Mode mode = Requests.mode(request);
        String id = request.getRequestId();
        if (!mode.needsSharer()) {
            return;
        }
        if (pair.sharer() == null || mode == Mode.C2C && pair.fuser() == null) {
            out.collect(SharerMessage.failed(id, DeadLetterCode.UNKNOWN_MODEL.name(), "mode " + mode.wireName()
                    + " needs a sharer" + (mode == Mode.C2C ? " and a fuser" : "") + ", and this job has none"
                    + " configured (c2c.sharer, c2c.fuser)"));
            return;
        }
        try {
            PairPrompts prompts = pair.prompts();
            switch (mode) {
                case SHARER_ONLY -> out.collect(SharerMessage.text(id, pair.sharer().generator().generate(
                        checked(prompts.answerIds(pair.sharer(), Requests.prompt(request))),
                        Requests.sampling(pair.sharer(), request, config.maxNewTokens()))));
                case T2T -> {
                    Generation background = pair.sharer().generator().generate(
                            checked(prompts.backgroundIds(Requests.prompt(request))), prompts.backgroundSampling());
                    out.collect(SharerMessage.text(id, background));
                }
                case C2C -> sendCache(id, checked(prompts.c2cPrompt(Requests.prompt(request))), out);
                default -> throw new IllegalStateException("mode " + mode + " has no sharer stage");
            }
        } catch (PromptTooLongException e) {
            out.collect(SharerMessage.failed(id, DeadLetterCode.PROMPT_TOO_LONG.name(), e.getMessage()));
        } catch (IllegalArgumentException e) {
            out.collect(SharerMessage.failed(id, DeadLetterCode.INVALID_REQUEST.name(), e.getMessage()));
        }
    }

    private void sendCache(String id, C2cPrompt prompt, Collector<SharerMessage> out) {
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
                    out.collect(SharerMessage.segment(id, bytes, prefillMicros));
                }
            }
        }
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

    @Override
    public void close() {
        if (pair != null) {
            ModelRegistry.release(pair);
            pair = null;
        }
    }
}
