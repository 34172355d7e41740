package io.c2cstream.job.replay;

import io.c2cstream.engine.c2c.Mode;
import io.c2cstream.engine.eval.BenchmarkItem;
import io.c2cstream.engine.eval.ItemResult;
import io.c2cstream.job.topology.C2cTopology;
import io.c2cstream.operators.C2cJobConfig;
import io.c2cstream.schemas.avro.InferenceRequest;
import io.c2cstream.schemas.avro.InferenceResponse;
import io.c2cstream.schemas.avro.StageTimings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * {@code c2c replay --runner flink}: a benchmark through the streaming job on a local MiniCluster — every item in
 * every mode as a request, the topology of {@link C2cTopology}, checkpointing on with a restart strategy — scored
 * exactly as the engine-only evaluation scores.
 */
public final class FlinkReplay {
    private FlinkReplay() {}

    /**
     * Runs the items and returns one result per item and mode, item-major as the engine-only evaluation writes them;
     * {@code onResult} sees each as it arrives (for progress).
     */
    public static List<ItemResult> run(List<BenchmarkItem> items, List<Mode> modes, C2cJobConfig config,
                                       Consumer<ItemResult> onResult) throws Exception {
        StreamExecutionEnvironment env = environment(config);
        DataStream<InferenceRequest> requests = source(env, items, modes);
        C2cTopology.Outputs outputs = C2cTopology.build(requests, config);
        return collect(outputs.responses(), outputs, items, modes, onResult);
    }

    /** A local MiniCluster environment with the job's checkpointing, state backend and restart strategy. */
    public static StreamExecutionEnvironment environment(C2cJobConfig config) {
        Configuration conf = new Configuration();
        if (config.checkpointMillis() > 0) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(config.checkpointMillis()));
            conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
            // A model stage takes milliseconds per record: an aligned barrier would wait behind every queued
            // request, so barriers overtake the queues and the queued records are checkpointed with the state.
            conf.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        }
        conf.set(StateBackendOptions.STATE_BACKEND, config.stateBackend());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        // A slot that cannot be had is a configuration error: say so instead of waiting forever.
        conf.set(JobManagerOptions.SLOT_REQUEST_TIMEOUT, Duration.ofSeconds(60));
        // Every record type has a real serializer: a silent fallback to Kryo would be a bug.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        return StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    }

    /** The benchmark's requests as a bounded, checkpointed source. */
    public static DataStream<InferenceRequest> source(StreamExecutionEnvironment env, List<BenchmarkItem> items,
                                                      List<Mode> modes) {
        return env.fromData(ReplayRequests.of(items, modes), new AvroTypeInfo<>(InferenceRequest.class))
                .name("benchmark requests").uid("benchmark-requests")
                .slotSharingGroup(C2cTopology.ingestGroup());
    }

    /**
     * Executes the job and scores what comes back: {@code responses} (the topology's, or a stream derived from it)
     * and the topology's dead letters, each request exactly once.
     */
    public static List<ItemResult> collect(DataStream<InferenceResponse> responses, C2cTopology.Outputs outputs,
                                           List<BenchmarkItem> items, List<Mode> modes, Consumer<ItemResult> onResult)
            throws Exception {
        Map<String, BenchmarkItem> byId = new HashMap<>();
        Map<String, Integer> order = new HashMap<>();
        for (BenchmarkItem item : items) {
            for (Mode mode : modes) {
                String id = ReplayRequests.requestId(item, mode);
                byId.put(id, item);
                order.put(id, order.size());
            }
        }
        DataStream<ReplayOutput> all = responses.map(ReplayOutput::of, TypeInformation.of(ReplayOutput.class))
                .union(outputs.deadLetters().map(ReplayOutput::of, TypeInformation.of(ReplayOutput.class)));
        List<Map.Entry<Integer, ItemResult>> results = new ArrayList<>();
        Set<String> answered = new HashSet<>();
        try (CloseableIterator<ReplayOutput> it = all.executeAndCollect("c2c replay")) {
            while (it.hasNext()) {
                ReplayOutput out = it.next();
                BenchmarkItem item = byId.get(out.requestId());
                if (item == null) {
                    throw new IllegalStateException("the job answered request " + out.requestId() + ", which the"
                            + " replay never sent");
                }
                if (!answered.add(out.requestId())) {
                    throw new IllegalStateException("the job answered request " + out.requestId() + " twice");
                }
                ItemResult r = score(item, out);
                results.add(Map.entry(order.get(out.requestId()), r));
                onResult.accept(r);
            }
        }
        if (answered.size() != order.size()) {
            List<String> missing = order.keySet().stream().filter(id -> !answered.contains(id)).sorted().limit(5).toList();
            throw new IllegalStateException("the job answered " + answered.size() + " of " + order.size()
                    + " requests; unanswered, for example: " + missing);
        }
        results.sort(Comparator.comparing(Map.Entry::getKey));
        return results.stream().map(Map.Entry::getValue).toList();
    }

    private static ItemResult score(BenchmarkItem item, ReplayOutput out) {
        String mode = out.requestId().substring(out.requestId().lastIndexOf('/') + 1);
        if (out.response() == null) {
            // A dead-lettered item scores as unanswered; the message says why.
            return ItemResult.score(item, mode, "", 0, Map.of());
        }
        InferenceResponse r = out.response();
        double latencyMs = r.getLatencyMicros() == null ? 0 : r.getLatencyMicros() / 1000.0;
        return ItemResult.score(item, mode, r.getAnswer(), latencyMs, stages(r.getTimings()));
    }

    /** Per-stage milliseconds under the names the engine-only evaluation uses, plus the transfer. */
    static Map<String, Double> stages(StageTimings t) {
        Map<String, Double> stages = new LinkedHashMap<>();
        stages.put("sharer_prefill", millis(t.getSharerPrefillMicros()));
        stages.put("receiver_prefill", millis(t.getReceiverPrefillMicros()));
        stages.put("transfer", millis(t.getTransferMicros()));
        stages.put("fuse", millis(t.getFuseMicros()));
        stages.put("decode", millis(t.getDecodeMicros()));
        stages.put("sharer_decode", millis(t.getSharerDecodeMicros()));
        return stages;
    }

    private static double millis(Long micros) {
        return micros == null ? 0 : micros / 1000.0;
    }
}
