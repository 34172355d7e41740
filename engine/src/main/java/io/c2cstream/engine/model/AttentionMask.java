package io.c2cstream.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Additive attention masks over the whole cache: 0 where a query may attend, a large negative number
 * elsewhere (finite, so that a padding query with nothing to attend to stays finite instead of NaN).
 */
final class AttentionMask {
    static final float BLOCKED = -1e30f;

    private AttentionMask() {}

    /**
     * A mask {@code [batch, 1, groups·tokens, width]} over the cache's attention width for the new columns
     * {@code [start, start+tokens)}: query rows are laid out group-major to match grouped-query attention,
     * where the query heads sharing one KV head are stacked along the token axis. With one token every
     * group row is the same, so the mask is {@code [batch, 1, 1, width]} and broadcasts.
     *
     * @param window 0 for full causal attention; else keys at most {@code window-1} columns back are visible
     */
    static NDArray causal(NDManager manager, KvCache cache, int start, int tokens, int groups, int window) {
        int batch = cache.batchSize();
        int width = cache.attentionWidth();
        int rows = tokens == 1 ? 1 : groups;
        float[] mask = new float[batch * rows * tokens * width];
        Arrays.fill(mask, BLOCKED);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < tokens; t++) {
                int query = start + t;
                int from = window > 0 ? Math.max(0, query - window + 1) : 0;
                int rowBase = ((b * rows) * tokens + t) * width;
                for (int key = from; key <= query; key++) {
                    if (cache.isAttendable(b, key)) {
                        mask[rowBase + key] = 0f;
                    }
                }
                for (int g = 1; g < rows; g++) {
                    System.arraycopy(mask, rowBase, mask, rowBase + g * tokens * width, width);
                }
            }
        }
        return NativeArrays.copyOf(manager, mask, new Shape(batch, 1, (long) rows * tokens, width));
    }
}
