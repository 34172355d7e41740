package io.c2cstream.engine.fuser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The inference form of the projectors of several receiver layers that share one {@link ProjectorConfig}:
 * every weight stacked over their paths, so that one batched matmul computes what {@link C2cProjector}'s
 * path computes for each of them. At a small model's size a projector path is ~45 operations on tiny
 * matrices and costs its operation count, not its arithmetic; stacking the paths of all layers divides that
 * count by their number.
 *
 * <p>Path {@code 2k} is the key path of the k-th stacked layer and {@code 2k + 1} its value path, so one
 * layer's paths are a contiguous slice: {@link #layer(int)} is a view of the stack, not a copy. Weights are
 * stored ready for {@code x · W}: transposed to {@code [P, in, out]}, each FFN's RMSNorm gain folded into
 * the rows of its first matrix ({@code (x ⊙ g)·W1ᵀ = x·(W1·diag g)ᵀ}). The stack is a copy of the
 * projectors' weights taken when it is built; it owns that native memory until {@link #close()}.
 */
final class ProjectorStack implements AutoCloseable {
    private static final float NORM_EPS = 1e-6f;

    /** {@code x · weight + bias}: weight {@code [P, in, out]}, bias {@code [P, 1, out]}. */
    record Linear(NDArray weight, NDArray bias) {
        NDArray apply(NDArray x) {
            return x.matMul(weight).add(bias);
        }

        Linear slice(long from, long to) {
            return new Linear(paths(weight, from, to), paths(bias, from, to));
        }
    }

    /** {@code x + GELU(RMSNorm(x)·W1)·W2} with the gain inside {@code w1} {@code [P, width, inner]}, w2 {@code [P, inner, width]}. */
    record Ffn(NDArray w1, NDArray w2) {
        NDArray apply(NDArray x) {
            NDArray normed = x.div(x.square().mean(new int[] {-1}, true).add(NORM_EPS).sqrt());
            return x.add(normed.matMul(w1).getNDArrayInternal().gelu().matMul(w2));
        }

        Ffn slice(long from, long to) {
            return new Ffn(paths(w1, from, to), paths(w2, from, to));
        }
    }

    /** Every stacked weight of a projector path, in the order the path uses them. */
    record Weights(Linear in, Ffn trunk, List<Ffn> projection, Linear out, Ffn scalar, Linear scalarHead) {
        Weights slice(long from, long to) {
            return new Weights(in.slice(from, to), trunk.slice(from, to),
                    projection.stream().map(f -> f.slice(from, to)).toList(), out.slice(from, to),
                    scalar.slice(from, to), scalarHead.slice(from, to));
        }
    }

    private final NDManager manager;
    private final int[] layers;
    private final Weights all;
    private final Weights[] perLayer;

    private ProjectorStack(NDManager manager, int[] layers, Weights all) {
        this.manager = manager;
        this.layers = layers;
        this.all = all;
        this.perLayer = new Weights[layers.length];
        for (int k = 0; k < layers.length; k++) {
            perLayer[k] = all.slice(2L * k, 2L * k + 2);
        }
    }

    /**
     * Stacks the projectors of receiver layers {@code layers}, {@code projectors.get(k)} being layer
     * {@code layers[k]}'s; all must have the same configuration. A projector serving two layers is stacked twice.
     */
    static ProjectorStack of(int[] layers, List<C2cProjector> projectors, NDManager parent) {
        ProjectorConfig config = projectors.get(0).config();
        for (C2cProjector p : projectors) {
            if (!p.config().equals(config)) {
                throw new IllegalArgumentException("stacked projectors must share one configuration: " + config
                        + " and " + p.config());
            }
        }
        NDManager manager = parent.newSubManager();
        try {
            List<Ffn> projection = new ArrayList<>();
            for (int i = 0; i < config.numLayers() - 2; i++) {
                projection.add(ffn(projectors, "_proj_mlp2.blocks." + i, manager));
            }
            Weights weights = new Weights(linear(projectors, "_in", manager), ffn(projectors, "_mlp1.blocks.0", manager),
                    projection, linear(projectors, "_proj_out", manager),
                    ffn(projectors, "_scalar_mlp2.blocks.0", manager), linear(projectors, "_scalar_head", manager));
            return new ProjectorStack(manager, layers.clone(), weights);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The receiver layers in stack order. */
    int[] layers() {
        return layers.clone();
    }

    /** Where receiver layer {@code t} sits in the stack, or −1 where it is not stacked here. */
    int indexOf(int receiverLayer) {
        for (int k = 0; k < layers.length; k++) {
            if (layers[k] == receiverLayer) {
                return k;
            }
        }
        return -1;
    }

    /** The weights of every stacked path, {@code P = 2 · layers}. */
    Weights all() {
        return all;
    }

    /** The two paths (key, value) of the k-th stacked layer, a view of the stack. */
    Weights layer(int k) {
        return perLayer[k];
    }

    /**
     * Fuses P paths at once (method §1, inference, gates open): sharer entries {@code [P, B, Hs, N, Ds]} and
     * receiver entries {@code [P, B, Ht, N, Dt]} give the receiver's new entries {@code [P, B, Ht, N, Dt]}.
     */
    static NDArray fuse(Weights w, NDArray sharer, NDArray receiver) {
        Shape r = receiver.getShape();
        long paths = r.get(0);
        long batch = r.get(1);
        long heads = r.get(2);
        long tokens = r.get(3);
        long headDim = r.get(4);
        long rows = batch * tokens;
        NDArray sharerFlat = sharer.transpose(0, 1, 3, 2, 4).reshape(paths, rows, -1);          // [P, B·N, Hs·Ds]
        NDArray receiverFlat = receiver.transpose(0, 1, 3, 2, 4).reshape(paths, rows, heads * headDim);
        NDArray h = w.trunk().apply(w.in().apply(NDArrays.concat(new NDList(sharerFlat, receiverFlat), 2)));  // [P, B·N, Hid]
        NDArray p = h;
        for (Ffn block : w.projection()) {
            p = block.apply(p);
        }
        NDArray projection = w.out().apply(p).reshape(paths, rows, heads, headDim);
        NDArray headWeights = w.scalarHead().apply(w.scalar().apply(h)).getNDArrayInternal().sigmoid()
                .expandDims(3);                                                                  // [P, B·N, Ht, 1]
        NDArray fused = receiverFlat.add(headWeights.mul(projection).reshape(paths, rows, heads * headDim));
        return fused.reshape(paths, batch, tokens, heads, headDim).transpose(0, 1, 3, 2, 4);
    }

    private static Linear linear(List<C2cProjector> projectors, String suffix, NDManager manager) {
        NDList weights = new NDList();
        NDList biases = new NDList();
        for (C2cProjector p : projectors) {
            for (String x : ProjectorTensors.PATHS) {
                weights.add(p.tensors().get(x + suffix + ".weight").transpose());
                biases.add(p.tensors().get(x + suffix + ".bias").expandDims(0));
            }
        }
        return new Linear(stack(weights, manager), stack(biases, manager));
    }

    private static Ffn ffn(List<C2cProjector> projectors, String suffix, NDManager manager) {
        NDList w1 = new NDList();
        NDList w2 = new NDList();
        for (C2cProjector p : projectors) {
            for (String x : ProjectorTensors.PATHS) {
                String block = x + suffix;
                NDArray scaled = p.tensors().get(block + ".w1.weight").mul(p.tensors().get(block + ".norm.weight"));
                w1.add(scaled.transpose());
                scaled.close();
                w2.add(p.tensors().get(block + ".w2.weight").transpose());
            }
        }
        return new Ffn(stack(w1, manager), stack(w2, manager));
    }

    /** Stacks on a new first axis into {@code manager}, freeing the per-path intermediates at once. */
    private static NDArray stack(NDList parts, NDManager manager) {
        NDArray stacked = NDArrays.stack(parts);
        stacked.attach(manager);
        parts.close();
        return stacked;
    }

    private static NDArray paths(NDArray stacked, long from, long to) {
        return stacked.get(new NDIndex().addSliceDim(from, to));
    }

    @Override
    public void close() {
        manager.close();
    }
}
