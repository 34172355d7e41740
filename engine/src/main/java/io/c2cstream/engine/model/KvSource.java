package io.c2cstream.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Somewhere a model's keys and values can be read from, layer by layer over a token range: a live {@link KvCache},
 * or a cache that arrived in segments from another process. Both return {@code [batch, kvHeads, to-from, headDim]}.
 */
public interface KvSource {
    /** Keys of one layer over the token columns {@code [from, to)}, as a new array owned by {@code into}. */
    NDArray readKeys(int layer, int from, int to, NDManager into);

    /** Values of one layer over the token columns {@code [from, to)}, as a new array owned by {@code into}. */
    NDArray readValues(int layer, int from, int to, NDManager into);
}
