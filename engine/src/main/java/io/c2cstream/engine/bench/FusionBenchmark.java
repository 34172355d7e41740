package io.c2cstream.engine.bench;

import ai.djl.ndarray.NDManager;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.fuser.C2cProjector;
import io.c2cstream.engine.fuser.FuserConfig;
import io.c2cstream.engine.fuser.ProjectorConfig;
import io.c2cstream.engine.model.KvCache;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.engine.model.TokenBatch;
import io.c2cstream.engine.model.TransformerModel;
import java.util.Arrays;
import java.util.Random;

/**
 * The cost of C2C's prefill stages for one prompt: the receiver's prefill, the sharer's prefill of the fused
 * tokens, and the fuse step itself (every projector open), each the median of several runs.
 */
public final class FusionBenchmark {
    /**
     * Milliseconds and FLOPs of each stage.
     *
     * @param fuseFlops 2 × projector parameters × fused tokens per layer, summed: the matmuls dominate
     */
    public record Result(int tokens, double receiverPrefillMs, double sharerPrefillMs, double fuseMs,
                         double receiverPrefillFlops, double sharerPrefillFlops, double fuseFlops) {}

    private FusionBenchmark() {}

    public static Result run(TransformerModel receiver, TransformerModel sharer, int hiddenDim, int tokens, int repetitions) {
        ModelConfig r = receiver.config();
        ModelConfig s = sharer.config();
        ProjectorConfig projector = ProjectorConfig.reference(s.numKvHeads(), s.headDim(), r.numKvHeads(), r.headDim(),
                hiddenDim, hiddenDim);
        FuserConfig config = new FuserConfig("receiver", "sharer", false, "longest", "last_aligned", "sequential", projector);
        int[] ids = new Random(tokens).ints(tokens, 0, Math.min(r.vocabSize(), s.vocabSize())).toArray();
        int fused = tokens - 1;
        double[] receiverMs = new double[repetitions];
        double[] sharerMs = new double[repetitions];
        double[] fuseMs = new double[repetitions];
        try (C2cFuser fuser = C2cFuser.initialize(config, r, s, receiver.device(), 1)) {
            fuser.projectors().forEach(p -> p.setGateLogits(1f, 1f));
            for (int rep = -1; rep < repetitions; rep++) {
                try (NDManager m = NDManager.newBaseManager(receiver.device());
                     KvCache rc = receiver.newCache(1, tokens); KvCache sc = sharer.newCache(1, fused)) {
                    long t0 = System.nanoTime();
                    receiver.forward(TokenBatch.single(ids, rc), rc, TransformerModel.Logits.LAST, m).toFloatArray();
                    long t1 = System.nanoTime();
                    sharer.forward(TokenBatch.single(Arrays.copyOf(ids, fused), sc), sc, TransformerModel.Logits.LAST, m)
                            .toFloatArray();
                    long t2 = System.nanoTime();
                    fuser.fuse(rc, sc, 0, fused);
                    rc.readKeys(r.numLayers() - 1, 0, 1, m).toFloatArray();
                    long t3 = System.nanoTime();
                    if (rep >= 0) {
                        receiverMs[rep] = (t1 - t0) / 1e6;
                        sharerMs[rep] = (t2 - t1) / 1e6;
                        fuseMs[rep] = (t3 - t2) / 1e6;
                    }
                }
            }
        }
        double fuseFlops = 2.0 * C2cProjector.parameterCount(projector) * fused * r.numLayers();
        return new Result(tokens, EngineBenchmark.median(receiverMs), EngineBenchmark.median(sharerMs),
                EngineBenchmark.median(fuseMs), EngineBenchmark.prefillFlops(r, tokens), EngineBenchmark.prefillFlops(s, fused),
                fuseFlops);
    }
}
