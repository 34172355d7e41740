package io.c2cstream.operators;

import io.c2cstream.schemas.kv.KvDtype;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Everything the streaming job can be told, with its defaults, read from {@code c2c.*} keys (a properties file,
 * {@code --set key=value} on the command line, or the Flink configuration). Unknown {@code c2c.*} keys and bad
 * values are rejected at start with an error that names the key. docs/operations.md lists every key.
 *
 * <p>Plain strings and numbers only, so that operators can carry it through Java serialization.
 *
 * @param receiver             {@code c2c.receiver}: Hugging Face directory of the receiver model (required)
 * @param sharer               {@code c2c.sharer}: directory of the sharer model (required for every mode but
 *                             receiver_only)
 * @param fuser                {@code c2c.fuser}: directory of the fuser (required for c2c)
 * @param segmentDtype         {@code c2c.segment.dtype}: f32 (lossless, default), f16, bf16 or int8 payloads of the
 *                             KV segments the sharer sends
 * @param segmentLayers        {@code c2c.segment.layers}: sharer layers per segment (default 1, so the fuser can
 *                             start on a layer as soon as it has arrived)
 * @param maxSegmentBytes      {@code c2c.segment.max-bytes}: upper bound of one segment record (default 1 MiB);
 *                             token blocks are cut to fit
 * @param leaseMillis          {@code c2c.lease.ms}: how long a request waits for the sharer's segments or text
 *                             (default 60 000)
 * @param failOnLeaseExpiry    {@code c2c.lease.on-expiry}: {@code fallback} (default) answers receiver_only with a
 *                             fallback flag and reason; {@code fail} writes a DEADLINE_EXCEEDED dead letter
 * @param maxInflightKvBytes   {@code c2c.receiver.max-inflight-kv-bytes}: KV bytes a receiver slot holds before it
 *                             stops taking requests (back-pressure); default 512 MiB
 * @param maxDecodeBatch       {@code c2c.decode.max-batch}: sequences decoded together (default 16)
 * @param maxNewTokens         {@code c2c.max-new-tokens}: cap on a request's maxNewTokens (default 256)
 * @param t2tMaxNewTokens      {@code c2c.t2t.max-new-tokens}: length limit of t2t's background text (default 64)
 * @param maxPromptTokens      {@code c2c.max-prompt-tokens}: longer prompts are dead-lettered PROMPT_TOO_LONG
 *                             (default 4096)
 * @param sharerParallelism    {@code c2c.sharer.parallelism}: sharer slots (default 1)
 * @param receiverParallelism  {@code c2c.receiver.parallelism}: receiver slots (default 1)
 * @param slotCpuCores         {@code c2c.slot.cpu-cores}: CPU cores in each sharer/receiver slot's resource spec
 *                             (default 1.0)
 * @param slotTaskHeapMb       {@code c2c.slot.task-heap-mb}: task heap of those slots (default 512)
 * @param slotGpus             {@code c2c.slot.gpus}: external resource {@code gpu} of those slots (default 0; 1 on a
 *                             GPU cluster, see docs/operations.md)
 * @param checkpointMillis     {@code c2c.checkpoint.interval-ms}: 0 disables checkpointing (default 10 000)
 * @param stateBackend         {@code c2c.state.backend}: {@code rocksdb} (default) or {@code hashmap}
 */
public record C2cJobConfig(String receiver, String sharer, String fuser, KvDtype segmentDtype, int segmentLayers,
                           int maxSegmentBytes, long leaseMillis, boolean failOnLeaseExpiry, long maxInflightKvBytes,
                           int maxDecodeBatch, int maxNewTokens, int t2tMaxNewTokens, int maxPromptTokens,
                           int sharerParallelism, int receiverParallelism, double slotCpuCores, int slotTaskHeapMb,
                           double slotGpus, long checkpointMillis, String stateBackend) implements Serializable {

    private static final Set<String> KEYS = Set.of("c2c.receiver", "c2c.sharer", "c2c.fuser", "c2c.segment.dtype",
            "c2c.segment.layers", "c2c.segment.max-bytes", "c2c.lease.ms", "c2c.lease.on-expiry",
            "c2c.receiver.max-inflight-kv-bytes", "c2c.decode.max-batch", "c2c.max-new-tokens",
            "c2c.t2t.max-new-tokens", "c2c.max-prompt-tokens", "c2c.sharer.parallelism", "c2c.receiver.parallelism",
            "c2c.slot.cpu-cores", "c2c.slot.task-heap-mb", "c2c.slot.gpus", "c2c.checkpoint.interval-ms",
            "c2c.state.backend");

    /** The zoo's pair with every default: what {@code c2c replay} runs. */
    public static C2cJobConfig forZoo(Path zoo) {
        return parse(Map.of("c2c.receiver", zoo.resolve("receiver").toString(), "c2c.sharer",
                zoo.resolve("sharer").toString(), "c2c.fuser", zoo.resolve("fuser").toString()));
    }

    /**
     * Reads {@code c2c.*} keys; other keys are ignored (they belong to Flink).
     *
     * @throws IllegalArgumentException naming the key that is unknown, missing or has a bad value
     */
    public static C2cJobConfig parse(Map<String, String> settings) {
        Map<String, String> s = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (k.startsWith("c2c.")) {
                if (!KEYS.contains(k)) {
                    throw new IllegalArgumentException("unknown setting " + k + "; known settings: "
                            + String.join(", ", new TreeSet<>(KEYS)));
                }
                s.put(k, v.trim());
            }
        });
        if (!s.containsKey("c2c.receiver")) {
            throw new IllegalArgumentException("setting c2c.receiver is required: the receiver model's directory");
        }
        String onExpiry = value(s, "c2c.lease.on-expiry", "fallback", v -> v);
        if (!onExpiry.equals("fallback") && !onExpiry.equals("fail")) {
            throw new IllegalArgumentException("setting c2c.lease.on-expiry must be fallback or fail, got " + onExpiry);
        }
        String backend = value(s, "c2c.state.backend", "rocksdb", v -> v);
        if (!backend.equals("rocksdb") && !backend.equals("hashmap")) {
            throw new IllegalArgumentException("setting c2c.state.backend must be rocksdb or hashmap, got " + backend);
        }
        return new C2cJobConfig(s.get("c2c.receiver"), s.get("c2c.sharer"), s.get("c2c.fuser"),
                value(s, "c2c.segment.dtype", KvDtype.F32, v -> KvDtype.valueOf(v.toUpperCase(Locale.ROOT))),
                positive(s, "c2c.segment.layers", 1), positive(s, "c2c.segment.max-bytes", 1 << 20),
                positiveLong(s, "c2c.lease.ms", 60_000), onExpiry.equals("fail"),
                positiveLong(s, "c2c.receiver.max-inflight-kv-bytes", 512L << 20), positive(s, "c2c.decode.max-batch", 16),
                positive(s, "c2c.max-new-tokens", 256), positive(s, "c2c.t2t.max-new-tokens", 64),
                positive(s, "c2c.max-prompt-tokens", 4096), positive(s, "c2c.sharer.parallelism", 1),
                positive(s, "c2c.receiver.parallelism", 1),
                positiveDouble(s, "c2c.slot.cpu-cores", 1.0), positive(s, "c2c.slot.task-heap-mb", 512),
                nonNegativeDouble(s, "c2c.slot.gpus", 0.0),
                nonNegativeLong(s, "c2c.checkpoint.interval-ms", 10_000), backend);
    }

    /** This configuration with one setting changed (for tests and command-line overrides). */
    public C2cJobConfig with(String key, String value) {
        Map<String, String> s = new TreeMap<>(asMap());
        s.put(key, value);
        return parse(s);
    }

    /** The settings as {@code c2c.*} keys; {@link #parse} of it gives this configuration back. */
    public Map<String, String> asMap() {
        Map<String, String> m = new TreeMap<>();
        m.put("c2c.receiver", receiver);
        if (sharer != null) {
            m.put("c2c.sharer", sharer);
        }
        if (fuser != null) {
            m.put("c2c.fuser", fuser);
        }
        m.put("c2c.segment.dtype", segmentDtype.name().toLowerCase(Locale.ROOT));
        m.put("c2c.segment.layers", Integer.toString(segmentLayers));
        m.put("c2c.segment.max-bytes", Integer.toString(maxSegmentBytes));
        m.put("c2c.lease.ms", Long.toString(leaseMillis));
        m.put("c2c.lease.on-expiry", failOnLeaseExpiry ? "fail" : "fallback");
        m.put("c2c.receiver.max-inflight-kv-bytes", Long.toString(maxInflightKvBytes));
        m.put("c2c.decode.max-batch", Integer.toString(maxDecodeBatch));
        m.put("c2c.max-new-tokens", Integer.toString(maxNewTokens));
        m.put("c2c.t2t.max-new-tokens", Integer.toString(t2tMaxNewTokens));
        m.put("c2c.max-prompt-tokens", Integer.toString(maxPromptTokens));
        m.put("c2c.sharer.parallelism", Integer.toString(sharerParallelism));
        m.put("c2c.receiver.parallelism", Integer.toString(receiverParallelism));
        m.put("c2c.slot.cpu-cores", Double.toString(slotCpuCores));
        m.put("c2c.slot.task-heap-mb", Integer.toString(slotTaskHeapMb));
        m.put("c2c.slot.gpus", Double.toString(slotGpus));
        m.put("c2c.checkpoint.interval-ms", Long.toString(checkpointMillis));
        m.put("c2c.state.backend", stateBackend);
        return m;
    }

    /** The receiver's directory. */
    public Path receiverDir() {
        return Path.of(receiver);
    }

    /** The sharer's directory, or null. */
    public Path sharerDir() {
        return sharer == null ? null : Path.of(sharer);
    }

    /** The fuser's directory, or null. */
    public Path fuserDir() {
        return fuser == null ? null : Path.of(fuser);
    }

    private static int positive(Map<String, String> s, String key, int fallback) {
        return Math.toIntExact(positiveLong(s, key, fallback));
    }

    private static long positiveLong(Map<String, String> s, String key, long fallback) {
        long v = value(s, key, fallback, Long::parseLong);
        if (v <= 0) {
            throw new IllegalArgumentException("setting " + key + " must be positive, got " + v);
        }
        return v;
    }

    private static long nonNegativeLong(Map<String, String> s, String key, long fallback) {
        return check(key, value(s, key, fallback, Long::parseLong), v -> v >= 0, "≥ 0");
    }

    private static double positiveDouble(Map<String, String> s, String key, double fallback) {
        return check(key, value(s, key, fallback, Double::parseDouble), v -> v > 0, "positive");
    }

    private static double nonNegativeDouble(Map<String, String> s, String key, double fallback) {
        return check(key, value(s, key, fallback, Double::parseDouble), v -> v >= 0, "≥ 0");
    }

    private static <T> T check(String key, T v, Predicate<T> ok, String what) {
        if (!ok.test(v)) {
            throw new IllegalArgumentException("setting " + key + " must be " + what + ", got " + v);
        }
        return v;
    }

    private static <T> T value(Map<String, String> s, String key, T fallback, Function<String, T> parser) {
        String v = s.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return parser.apply(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("setting " + key + " has a bad value '" + v + "': " + e.getMessage(), e);
        }
    }
}
