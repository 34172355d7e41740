package io.c2cstream.engine.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.c2cstream.engine.generate.Generation;
import io.c2cstream.engine.generate.Generator;
import io.c2cstream.engine.generate.SamplingConfig;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.engine.model.TokenBatch;
import io.c2cstream.engine.model.TransformerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Throughput of the engine on one model: single-stream and batched greedy decode, prefill of fixed-length
 * prompts, and the f32 matmul rate of the backend for comparison. Each figure is the median of several
 * repetitions after a warm-up, because these machines are noisy.
 */
public final class EngineBenchmark {
    /** Tokens per second at a batch size. */
    public record Rate(int batch, double tokensPerSecond) {}

    /** Prefill of one prompt of {@code tokens} tokens. */
    public record Prefill(int tokens, double tokensPerSecond, double gflops) {}

    /**
     * Runs discarded before measuring, at least this many and for at least {@link #WARM_UP_NANOS}: the JIT, the
     * Java heap and PyTorch's allocator settle over the first seconds. Two runs alone (half a second of
     * single-stream decode) left stories260K's single stream 25-30 % below its rate after twenty.
     */
    private static final int WARM_UPS = 2;
    private static final long WARM_UP_NANOS = 3_000_000_000L;

    private final TransformerModel model;
    private final int repetitions;

    public EngineBenchmark(TransformerModel model, int repetitions) {
        this.model = model;
        this.repetitions = repetitions;
    }

    /** Greedy decode of {@code tokens} new tokens from one-token prompts, {@code batch} sequences at once. */
    public Rate decode(int batch, int tokens) {
        Generator generator = new Generator(model, ids -> "", 0);
        SamplingConfig greedy = SamplingConfig.greedy(tokens, Set.of());
        Random random = new Random(batch);
        double[] millis = measure(() -> {
            List<int[]> prompts = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                prompts.add(new int[] {1 + random.nextInt(model.config().vocabSize() - 1)});
            }
            List<Generation> out = generator.generate(prompts, greedy);
            return out.get(0).decodeMillis();
        });
        return new Rate(batch, batch * (tokens - 1) * 1000.0 / median(millis));
    }

    /** Prefill of a random prompt of {@code tokens} tokens into an empty cache. */
    public Prefill prefill(int tokens) {
        Random random = new Random(tokens);
        int[] ids = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            ids[i] = random.nextInt(model.config().vocabSize());
        }
        double s = median(measure(() -> {
            try (NDManager m = NDManager.newBaseManager(model.device()); KvCache cache = model.newCache(1, tokens)) {
                long start = System.nanoTime();
                model.forward(TokenBatch.single(ids, cache), cache, TransformerModel.Logits.LAST, m).toFloatArray();
                return (System.nanoTime() - start) / 1e9;
            }
        }));
        return new Prefill(tokens, tokens / s, prefillFlops(model.config(), tokens) / s / 1e9);
    }

    /** The measured runs' results (each a duration) after the warm-up. */
    private double[] measure(DoubleSupplier run) {
        long warmUpStart = System.nanoTime();
        for (int r = 0; r < WARM_UPS || System.nanoTime() - warmUpStart < WARM_UP_NANOS; r++) {
            run.getAsDouble();
        }
        double[] results = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            results[r] = run.getAsDouble();
        }
        return results;
    }

    /** Multiply-adds ×2 of a prefill: projections, attention scores and values, and the logits of one token. */
    public static double prefillFlops(ModelConfig c, int tokens) {
        double h = c.hiddenSize();
        double qkv = h * (c.numHeads() + 2.0 * c.numKvHeads()) * c.headDim();
        double out = (double) c.numHeads() * c.headDim() * h;
        double ffn = 3.0 * h * c.intermediateSize();
        double perToken = 2 * (qkv + out + ffn);
        double attention = 2.0 * 2 * c.numHeads() * c.headDim() * tokens * (tokens + 1) / 2.0;
        return c.numLayers() * (perToken * tokens + attention) + 2 * h * c.vocabSize();
    }

    /** The backend's f32 matmul rate on square {@code n×n} matrices, in GFLOP/s. */
    public static double matmulGflops(NDManager manager, int n, int repetitions) {
        NDArray a = manager.randomUniform(-1, 1, new Shape(n, n));
        NDArray b = manager.randomUniform(-1, 1, new Shape(n, n));
        double[] seconds = new double[repetitions];
        for (int r = -1; r < repetitions; r++) {
            try (NDManager scope = manager.newSubManager()) {
                long start = System.nanoTime();
                NDArray c = a.matMul(b);
                c.attach(scope);
                c.getFloat(0, 0);
                if (r >= 0) {
                    seconds[r] = (System.nanoTime() - start) / 1e9;
                }
            }
        }
        return 2.0 * n * n * n / median(seconds) / 1e9;
    }

    /** Peak resident memory of this process in MiB (Linux), or -1 where unknown. */
    public static double peakResidentMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
