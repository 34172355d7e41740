package io.c2cstream.engine.model;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.NEG;
import static jdk.incubator.vector.VectorOperators.TANH;

import ai.djl.ndarray.NDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TransformerModel}'s decode step in Java with SIMD lanes (the Vector API): the arithmetic of
 * {@code TransformerModel.layer} on the same fused weights ({@link ModelWeights}, copied to the heap once), reading
 * and writing the cache's own memory ({@link KvCache#keyStore}). Results match the backend's to float rounding.
 *
 * <p>Links against {@code jdk.incubator.vector}: load this class only where that module is in the boot layer
 * ({@link DecodeKernel#select}).
 */
final class VectorDecodeKernel implements DecodeKernel {
    /**
     * The only float shape used, as in the KV codec's kernels: with a second one in the JVM the Vector API's shared
     * methods see two vector classes, and C2 falls back to boxed vectors (the projections ran 20 times slower).
     */
    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    /** Fewer rows than this per thread cost more in hand-over than they save. */
    private static final int MIN_ROWS_PER_THREAD = 4;

    /** A projection's weight {@code [in, out]} row-major, rows padded with zeros to {@code stride}, whole lanes. */
    private record Matrix(float[] data, int in, int out, int stride) {
        static Matrix of(NDArray transposedWeight) {
            int in = Math.toIntExact(transposedWeight.getShape().get(0));
            int out = Math.toIntExact(transposedWeight.getShape().get(1));
            int stride = paddedToLanes(out);
            float[] dense = transposedWeight.toFloatArray();
            float[] data = new float[in * stride];
            for (int i = 0; i < in; i++) {
                System.arraycopy(dense, i * out, data, i * stride, out);
            }
            return new Matrix(data, in, out, stride);
        }

        /** A bias padded like the matrix's rows, or null. */
        float[] bias(NDArray bias) {
            return bias == null ? null : Arrays.copyOf(bias.toFloatArray(), stride);
        }
    }

    private record Layer(Matrix qkv, float[] qkvBias, float[] qkNorm, Matrix o, float[] oBias,
                         float[] postAttentionNorm, float[] postFeedForwardNorm, Matrix gateUp, Matrix down) {}

    private final ModelConfig config;
    private final float[] embedding;      // [vocab, hidden]
    private final Layer[] layers;
    private final float[] finalNorm;      // [hidden]
    private final Matrix lmHead;          // [hidden, vocab]
    private final RotaryEmbedding globalRope;
    private final RotaryEmbedding localRope;
    private final float hiddenNormEps;
    private final float headNormEps;
    /** The gate's activation: SiLU, else Gemma's tanh-approximated GELU. */
    private final boolean silu;
    /** A batch's rows are split over up to this many threads (the caller's and the common pool's). */
    private final int threads;

    VectorDecodeKernel(ModelConfig config, ModelWeights weights, int threads) {
        this.config = config;
        this.threads = threads;
        this.silu = config.hiddenAct().equals("silu");
        this.embedding = weights.embedTokens().toFloatArray();
        this.layers = new Layer[config.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            ModelWeights.Layer w = weights.layers()[l];
            Matrix qkv = Matrix.of(w.qkvProj());
            Matrix o = Matrix.of(w.oProj());
            layers[l] = new Layer(qkv, qkv.bias(w.qkvBias()), floats(w.qkNorm()), o, o.bias(w.oBias()),
                    floats(w.postAttentionNorm()), floats(w.postFeedForwardNorm()),
                    Matrix.of(w.gateUpProj()), Matrix.of(w.downProj()));
        }
        this.finalNorm = weights.finalNorm().toFloatArray();
        this.lmHead = Matrix.of(weights.lmHead());
        this.globalRope = new RotaryEmbedding(config.headDim(), config.ropeTheta(), config.ropeScaling());
        this.localRope = new RotaryEmbedding(config.headDim(), config.ropeLocalTheta(), null);
        this.hiddenNormEps = (float) (config.hiddenSize() * config.rmsNormEps());
        this.headNormEps = (float) (config.headDim() * config.rmsNormEps());
    }

    /** Whether the CPU's preferred vectors hold at least 8 floats (AVX2 or wider). */
    static boolean suitsThisCpu() {
        return LANES.length() >= 8;
    }

    private static float[] floats(NDArray array) {
        return array == null ? null : array.toFloatArray();
    }

    private static int paddedToLanes(int n) {
        int lanes = LANES.length();
        return (n + lanes - 1) / lanes * lanes;
    }

    @Override
    public float[] decode(TokenBatch batch, KvCache cache, int column) {
        int rows = batch.batchSize();
        ByteBuffer[] keys = new ByteBuffer[layers.length];
        ByteBuffer[] values = new ByteBuffer[layers.length];
        for (int l = 0; l < layers.length; l++) {
            keys[l] = cache.keyStore(l);
            values[l] = cache.valueStore(l);
        }
        // Attention runs over whole vectors of columns, those past the new one masked; storage holds them (KvCache).
        Step step = new Step(batch, cache, column, paddedToLanes(column + 1), keys, values);
        float[] logits = new float[rows * config.vocabSize()];
        int parts = Math.max(1, Math.min(threads, rows / MIN_ROWS_PER_THREAD));
        List<ForkJoinTask<?>> others = new ArrayList<>();
        for (int p = 1; p < parts; p++) {
            int from = rows * p / parts;
            int to = rows * (p + 1) / parts;
            others.add(ForkJoinPool.commonPool().submit(() -> decodeRows(step, from, to, logits)));
        }
        decodeRows(step, 0, rows / parts, logits);
        others.forEach(ForkJoinTask::join);
        return logits;
    }

    /** What every row range of one step shares: the new column, the attention width, the cache's stores per layer. */
    private record Step(TokenBatch batch, KvCache cache, int column, int width, ByteBuffer[] keys, ByteBuffer[] values) {}

    /** Rows {@code [from, to)} of a step, start to finish; they touch no other rows' state. */
    private void decodeRows(Step step, int from, int to, float[] logits) {
        int rows = to - from;
        int hidden = config.hiddenSize();
        float[] x = new float[rows * hidden];                              // the residual stream [rows, hidden]
        for (int r = 0; r < rows; r++) {
            System.arraycopy(embedding, step.batch().ids()[from + r][0] * hidden, x, r * hidden, hidden);
        }
        if (config.gemmaNorms()) {
            scale(x, (float) Math.sqrt(hidden));
        }
        Rope global = rope(globalRope, step, from, to);
        float[] globalMask = mask(step, from, to, 0);
        Rope local = config.slidingWindow() > 0 ? rope(localRope, step, from, to) : null;
        float[] localMask = config.slidingWindow() > 0 ? mask(step, from, to, config.slidingWindow()) : null;
        for (int l = 0; l < layers.length; l++) {
            boolean sliding = config.isSliding(l);
            layer(l, x, step, from, rows, sliding ? local : global, sliding ? localMask : globalMask);
        }

        for (int r = 0; r < rows; r++) {
            normalize(x, r * hidden, hidden, hiddenNormEps, finalNorm, 0);
        }
        float[] padded = matmul(x, rows, lmHead, null);                    // [rows, vocab padded]
        int vocab = lmHead.out();
        double cap = config.finalLogitSoftcap();
        for (int r = 0; r < rows; r++) {
            int at = (from + r) * vocab;
            System.arraycopy(padded, r * lmHead.stride(), logits, at, vocab);
            for (int i = at; cap > 0 && i < at + vocab; i++) {
                logits[i] = (float) (cap * Math.tanh(logits[i] / cap));
            }
        }
    }

    /** One decoder layer over the residual stream x {@code [rows, hidden]} of cache rows from {@code first}, in place. */
    private void layer(int l, float[] x, Step step, int first, int rows, Rope rope, float[] mask) {
        Layer w = layers[l];
        int hidden = config.hiddenSize();
        int hq = config.numHeads();
        int hkv = config.numKvHeads();
        int d = config.headDim();
        int groups = config.queriesPerKvHead();

        // Attention: queries, keys and values of each row side by side, [rows, (hq + 2·hkv)·d] at the matrix's stride.
        float[] qkv = matmul(normalized(x, rows, hidden, hiddenNormEps), rows, w.qkv(), w.qkvBias());
        int qkvStride = w.qkv().stride();
        for (int r = 0; r < rows; r++) {
            for (int head = 0; head < hq + hkv; head++) {
                int at = r * qkvStride + head * d;
                if (w.qkNorm() != null) {
                    normalize(qkv, at, d, headNormEps, w.qkNorm(), head * d);
                }
                rope.rotate(qkv, at, r);
            }
        }
        ByteBuffer keys = step.keys()[l];                                  // [batch, hkv, d, capacity]
        ByteBuffer values = step.values()[l];                              // [batch, hkv, d, capacity]
        int capacity = step.cache().capacity();
        int width = step.width();
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < hkv; g++) {
                int k = r * qkvStride + (hq + g) * d;
                int v = k + hkv * d;
                for (int i = 0; i < d; i++) {
                    int at = Float.BYTES * ((((first + r) * hkv + g) * d + i) * capacity + step.column());
                    keys.putFloat(at, qkv[k + i]);
                    values.putFloat(at, qkv[v + i]);
                }
            }
        }
        // Each KV head's rows are copied to the heap once for its query heads: vector loads from the heap cost
        // less than from a byte buffer (single stream 1.23x faster than without the copy, batch 64 1.04x).
        FloatBuffer keyFloats = keys.asFloatBuffer();
        FloatBuffer valueFloats = values.asFloatBuffer();
        float[] keyRows = new float[d * width];                            // [d, width]
        float[] valueRows = new float[d * width];
        float[] scores = new float[width];
        float[] attended = new float[rows * hq * d];                       // [rows, hq·d]
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < hkv; g++) {
                for (int i = 0; i < d; i++) {
                    int row = (((first + r) * hkv + g) * d + i) * capacity;
                    keyFloats.get(row, keyRows, i * width, width);
                    valueFloats.get(row, valueRows, i * width, width);
                }
                for (int head = g * groups; head < (g + 1) * groups; head++) {
                    attend(qkv, r * qkvStride + head * d, keyRows, valueRows, mask, r * width, scores, width,
                            attended, (r * hq + head) * d);
                }
            }
        }
        float[] attnOut = matmul(attended, rows, w.o(), w.oBias());
        addToResidual(x, rows, attnOut, w.o().stride(), w.postAttentionNorm());

        // Gated feed-forward: act(gate) · up, projected down.
        float[] gateUp = matmul(normalized(x, rows, hidden, hiddenNormEps), rows, w.gateUp(), null);
        int inter = config.intermediateSize();
        float[] activated = new float[rows * inter];
        for (int r = 0; r < rows; r++) {
            activate(gateUp, r * w.gateUp().stride(), inter, activated, r * inter);
        }
        addToResidual(x, rows, matmul(activated, rows, w.down(), null), w.down().stride(), w.postFeedForwardNorm());
    }

    /**
     * One query head over its KV head's keys and values: softmax of q·K (soft-capped when the model says so, masked)
     * weighting V. Both are {@code [d, width]}, transposed as the cache stores them, so both products run along
     * columns in whole lanes.
     */
    private void attend(float[] qkv, int q, float[] keys, float[] values, float[] mask, int maskAt, float[] scores,
                        int width, float[] out, int outAt) {
        int d = config.headDim();
        float cap = (float) config.attnLogitSoftcap();
        // Scores accumulate one key dimension at a time: every column's sum is independent, so nothing waits.
        for (int w = 0; w < width; w += LANES.length()) {
            FloatVector.zero(LANES).intoArray(scores, w);
        }
        for (int i = 0; i < d; i++) {
            FloatVector qi = FloatVector.broadcast(LANES, qkv[q + i]);
            int row = i * width;
            for (int w = 0; w < width; w += LANES.length()) {
                FloatVector.fromArray(LANES, keys, row + w).fma(qi, FloatVector.fromArray(LANES, scores, w)).intoArray(scores, w);
            }
        }
        for (int w = 0; w < width; w += LANES.length()) {
            FloatVector s = FloatVector.fromArray(LANES, scores, w);
            if (cap > 0) {
                s = s.div(cap).lanewise(TANH).mul(cap);
            }
            s.add(FloatVector.fromArray(LANES, mask, maskAt + w)).intoArray(scores, w);
        }

        float scale = 1f / exponentiate(scores, width, max(scores, width));
        // out[j] = Σ_w p[w]·Vᵀ[j, w] / Σp: four value rows at a time, so that four sums are in flight.
        int j = 0;
        for (; j + 4 <= d; j += 4) {
            int row = j * width;
            FloatVector a0 = FloatVector.zero(LANES);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int w = 0; w < width; w += LANES.length()) {
                FloatVector p = FloatVector.fromArray(LANES, scores, w);
                a0 = FloatVector.fromArray(LANES, values, row + w).fma(p, a0);
                a1 = FloatVector.fromArray(LANES, values, row + width + w).fma(p, a1);
                a2 = FloatVector.fromArray(LANES, values, row + 2 * width + w).fma(p, a2);
                a3 = FloatVector.fromArray(LANES, values, row + 3 * width + w).fma(p, a3);
            }
            out[outAt + j] = a0.reduceLanes(ADD) * scale;
            out[outAt + j + 1] = a1.reduceLanes(ADD) * scale;
            out[outAt + j + 2] = a2.reduceLanes(ADD) * scale;
            out[outAt + j + 3] = a3.reduceLanes(ADD) * scale;
        }
        for (; j < d; j++) {
            int row = j * width;
            FloatVector a = FloatVector.zero(LANES);
            for (int w = 0; w < width; w += LANES.length()) {
                a = FloatVector.fromArray(LANES, values, row + w).fma(FloatVector.fromArray(LANES, scores, w), a);
            }
            out[outAt + j] = a.reduceLanes(ADD) * scale;
        }
    }

    /** The largest of {@code a[0, n)}, n a whole number of vectors. */
    private static float max(float[] a, int n) {
        FloatVector m = FloatVector.broadcast(LANES, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i += LANES.length()) {
            m = m.max(FloatVector.fromArray(LANES, a, i));
        }
        return m.reduceLanes(MAX);
    }

    /** {@code a[i] = exp(a[i] - max)} for i below n, a whole number of vectors; returns their sum. */
    private static float exponentiate(float[] a, int n, float max) {
        FloatVector sum = FloatVector.zero(LANES);
        for (int i = 0; i < n; i += LANES.length()) {
            FloatVector e = FloatVector.fromArray(LANES, a, i).sub(max).lanewise(EXP);
            e.intoArray(a, i);
            sum = sum.add(e);
        }
        return sum.reduceLanes(ADD);
    }

    /** {@code act(gate)·up} of one row, gate and up side by side in {@code gateUp} from {@code at}. */
    private void activate(float[] gateUp, int at, int n, float[] out, int outAt) {
        int i = 0;
        for (; i < LANES.loopBound(n); i += LANES.length()) {
            FloatVector g = FloatVector.fromArray(LANES, gateUp, at + i);
            FloatVector u = FloatVector.fromArray(LANES, gateUp, at + n + i);
            FloatVector a = silu ? g.div(g.lanewise(NEG).lanewise(EXP).add(1f))
                    : g.mul(g.mul(g).mul(g).mul(0.044715f).add(g).mul((float) Math.sqrt(2 / Math.PI))
                            .lanewise(TANH).add(1f)).mul(0.5f);
            a.mul(u).intoArray(out, outAt + i);
        }
        for (; i < n; i++) {
            float g = gateUp[at + i];
            float a = silu ? g / (1f + (float) Math.exp(-g))
                    : 0.5f * g * (1f + (float) Math.tanh((float) Math.sqrt(2 / Math.PI) * (g + 0.044715f * g * g * g)));
            out[outAt + i] = a * gateUp[at + n + i];
        }
    }

    /** x += y row by row, y {@code [rows, hidden]} at {@code stride}, normalised and weighted first when Gemma says so. */
    private void addToResidual(float[] x, int rows, float[] y, int stride, float[] postNorm) {
        int hidden = config.hiddenSize();
        for (int r = 0; r < rows; r++) {
            if (postNorm != null) {
                normalize(y, r * stride, hidden, hiddenNormEps, postNorm, 0);
            }
            for (int i = 0; i < hidden; i++) {
                x[r * hidden + i] += y[r * stride + i];
            }
        }
    }

    /** In place, {@code a[at + i] · weight[weightAt + i] / √(Σa² + nε)} for i below n: a norm and its weight. */
    private static void normalize(float[] a, int at, int n, float nEps, float[] weight, int weightAt) {
        float inverse = inverseNorm(a, at, n, nEps);
        for (int i = 0; i < n; i++) {
            a[at + i] = a[at + i] * inverse * weight[weightAt + i];
        }
    }

    /** Rows of x {@code [rows, n]}, each divided by √(Σx² + nε): the engine's norm without weight. */
    private static float[] normalized(float[] x, int rows, int n, float nEps) {
        float[] out = new float[rows * n];
        for (int r = 0; r < rows; r++) {
            float inverse = inverseNorm(x, r * n, n, nEps);
            for (int i = 0; i < n; i++) {
                out[r * n + i] = x[r * n + i] * inverse;
            }
        }
        return out;
    }

    private static float inverseNorm(float[] x, int at, int n, float nEps) {
        int i = 0;
        FloatVector squares = FloatVector.zero(LANES);
        for (; i < LANES.loopBound(n); i += LANES.length()) {
            FloatVector v = FloatVector.fromArray(LANES, x, at + i);
            squares = v.fma(v, squares);
        }
        float sum = squares.reduceLanes(ADD);
        for (; i < n; i++) {
            sum += x[at + i] * x[at + i];
        }
        return (float) (1 / Math.sqrt(sum + nEps));
    }

    private static void scale(float[] x, float factor) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= factor;
        }
    }

    /**
     * {@code x [rows, in] · W + bias}, x's rows dense: {@code [rows, W.stride]}, padding columns zero. Four rows at a
     * time share each loaded weight vector; a lone row runs four column vectors at once so the sums overlap.
     */
    private static float[] matmul(float[] x, int rows, Matrix w, float[] bias) {
        int in = w.in();
        int stride = w.stride();
        int lanes = LANES.length();
        float[] data = w.data();
        float[] y = new float[rows * stride];
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int x0 = r * in;
            for (int j = 0; j < stride; j += lanes) {
                FloatVector a0 = start(bias, j);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                for (int i = 0; i < in; i++) {
                    FloatVector wv = FloatVector.fromArray(LANES, data, i * stride + j);
                    a0 = wv.fma(FloatVector.broadcast(LANES, x[x0 + i]), a0);
                    a1 = wv.fma(FloatVector.broadcast(LANES, x[x0 + in + i]), a1);
                    a2 = wv.fma(FloatVector.broadcast(LANES, x[x0 + 2 * in + i]), a2);
                    a3 = wv.fma(FloatVector.broadcast(LANES, x[x0 + 3 * in + i]), a3);
                }
                a0.intoArray(y, r * stride + j);
                a1.intoArray(y, (r + 1) * stride + j);
                a2.intoArray(y, (r + 2) * stride + j);
                a3.intoArray(y, (r + 3) * stride + j);
            }
        }
        for (; r < rows; r++) {
            int x0 = r * in;
            int j = 0;
            for (; j + 4 * lanes <= stride; j += 4 * lanes) {
                FloatVector a0 = start(bias, j);
                FloatVector a1 = start(bias, j + lanes);
                FloatVector a2 = start(bias, j + 2 * lanes);
                FloatVector a3 = start(bias, j + 3 * lanes);
                for (int i = 0; i < in; i++) {
                    FloatVector xi = FloatVector.broadcast(LANES, x[x0 + i]);
                    int at = i * stride + j;
                    a0 = FloatVector.fromArray(LANES, data, at).fma(xi, a0);
                    a1 = FloatVector.fromArray(LANES, data, at + lanes).fma(xi, a1);
                    a2 = FloatVector.fromArray(LANES, data, at + 2 * lanes).fma(xi, a2);
                    a3 = FloatVector.fromArray(LANES, data, at + 3 * lanes).fma(xi, a3);
                }
                a0.intoArray(y, r * stride + j);
                a1.intoArray(y, r * stride + j + lanes);
                a2.intoArray(y, r * stride + j + 2 * lanes);
                a3.intoArray(y, r * stride + j + 3 * lanes);
            }
            for (; j < stride; j += lanes) {
                FloatVector a = start(bias, j);
                for (int i = 0; i < in; i++) {
                    a = FloatVector.fromArray(LANES, data, i * stride + j).fma(FloatVector.broadcast(LANES, x[x0 + i]), a);
                }
                a.intoArray(y, r * stride + j);
            }
        }
        return y;
    }

    private static FloatVector start(float[] bias, int j) {
        return bias == null ? FloatVector.zero(LANES) : FloatVector.fromArray(LANES, bias, j);
    }

    /**
     * The additive mask of the new column's queries in rows {@code [from, to)}, {@code [rows, width]}: 0 on
     * attendable keys up to the column (within the window when there is one), {@link AttentionMask#BLOCKED}
     * elsewhere, as the backend path masks.
     */
    private static float[] mask(Step step, int from, int to, int window) {
        int column = step.column();
        int width = step.width();
        int oldest = window > 0 ? Math.max(0, column - window + 1) : 0;
        float[] mask = new float[(to - from) * width];
        for (int r = 0; r < to - from; r++) {
            for (int key = 0; key < width; key++) {
                boolean visible = key >= oldest && key <= column && step.cache().isAttendable(from + r, key);
                mask[r * width + key] = visible ? 0f : AttentionMask.BLOCKED;
            }
        }
        return mask;
    }

    private Rope rope(RotaryEmbedding embedding, Step step, int from, int to) {
        int half = config.headDim() / 2;
        float[] cos = new float[(to - from) * half];
        float[] sin = new float[cos.length];
        for (int r = 0; r < to - from; r++) {
            embedding.angles(step.batch().positions()[from + r][0], cos, sin, r * half);
        }
        return new Rope(cos, sin, half);
    }

    /** Each row's cos and sin per rotary pair {@code [rows, headDim/2]}. */
    private record Rope(float[] cos, float[] sin, int half) {
        /** Rotates pairs (x[i], x[i + d/2]) of the head at {@code at} as the backend does: x·cos + rotate_half(x)·sin. */
        void rotate(float[] x, int at, int row) {
            for (int i = 0; i < half; i++) {
                float c = cos[row * half + i];
                float s = sin[row * half + i];
                float a = x[at + i];
                float b = x[at + i + half];
                x[at + i] = a * c + -b * s;
                x[at + i + half] = b * c + a * s;
            }
        }
    }
}
