package io.c2cstream.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The attention keys and values of a batch of sequences, per layer {@code [batch, kvHeads, columns, headDim]},
 * exactly what Hugging Face stores: keys after the k-norm and RoPE, values as projected.
 *
 * <p>Internally keys are kept transposed, {@code [batch, kvHeads, headDim, columns]}, so attention scores are
 * one matmul with no per-step transpose; the public read and overwrite methods use the layout above.
 *
 * <p>All rows share one column axis. A column of a row is either a token of that row or padding (for
 * sequences of different lengths, or pad slots of token alignment); padding columns are never attended to.
 * Storage is preallocated and grows by doubling, so an append writes in place. Attention reads a view of the
 * first {@link #attentionWidth()} columns, which grows in steps of {@value #WIDTH_STEP} so that the view is
 * re-cut rarely while attention never scans far past the written columns. The cache owns its native memory:
 * {@link #close()} frees it at once.
 */
public final class KvCache implements KvSource, AutoCloseable {
    /** Attention views widen in steps of this many columns. */
    static final int WIDTH_STEP = 64;

    private final ModelConfig config;
    private final NDManager manager;
    private final int batch;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final NDArray[] keyViews;
    private final NDArray[] valueViews;
    private int viewWidth;
    private boolean[][] attendable;
    private final int[] nextPosition;
    private int length;

    KvCache(ModelConfig config, NDManager parent, int batch, int capacity) {
        this.config = config;
        this.manager = parent.newSubManager();
        this.batch = batch;
        this.keys = new NDArray[config.numLayers()];
        this.values = new NDArray[config.numLayers()];
        this.keyViews = new NDArray[config.numLayers()];
        this.valueViews = new NDArray[config.numLayers()];
        int initial = Math.max(capacity, 1);
        for (int l = 0; l < keys.length; l++) {
            keys[l] = manager.zeros(keyShape(initial), DataType.FLOAT32);
            values[l] = manager.zeros(valueShape(initial), DataType.FLOAT32);
        }
        this.attendable = new boolean[batch][initial];
        this.nextPosition = new int[batch];
    }

    /** Row {@code index} of {@code cache}, as a source for {@link #compose}. */
    public record Row(KvCache cache, int index) {}

    /**
     * A new cache of copies of {@code rows}, right-aligned on one column axis: each row keeps its columns from
     * its first real token on, and a shorter row gets padding columns on its left. Positions carry over (keys
     * are stored after RoPE, so they stay valid) and column distances within a row are kept (sliding windows
     * count columns). Room is reserved for {@code headroom} more columns. The sources are left unchanged.
     */
    public static KvCache compose(List<Row> rows, int headroom) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a composed cache needs at least one row");
        }
        KvCache first = rows.get(0).cache();
        int[] from = new int[rows.size()];
        int length = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            if (!row.cache().config.equals(first.config)) {
                throw new IllegalArgumentException("row " + i + " comes from a cache of a different model");
            }
            Objects.checkIndex(row.index(), row.cache().batch);
            from[i] = row.cache().firstAttendable(row.index());
            length = Math.max(length, row.cache().length - from[i]);
        }
        KvCache composed = new KvCache(first.config, first.manager.getParentManager(), rows.size(), length + headroom);
        try {
            for (int i = 0; i < rows.size(); i++) {
                KvCache source = rows.get(i).cache();
                int row = rows.get(i).index();
                int offset = length - (source.length - from[i]);
                System.arraycopy(source.attendable[row], from[i], composed.attendable[i], offset, length - offset);
                composed.nextPosition[i] = source.nextPosition[row];
                if (offset == length) {
                    continue;
                }
                for (int l = 0; l < composed.keys.length; l++) {
                    // Keys [1, kvHeads, headDim, span] (stored transposed), values [1, kvHeads, span, headDim].
                    try (NDArray k = source.keys[l].get(new NDIndex().addSliceDim(row, row + 1).addAllDim(2)
                                 .addSliceDim(from[i], source.length));
                         NDArray v = source.values[l].get(new NDIndex().addSliceDim(row, row + 1).addAllDim()
                                 .addSliceDim(from[i], source.length))) {
                        composed.keys[l].set(new NDIndex().addSliceDim(i, i + 1).addAllDim(2)
                                .addSliceDim(offset, length), k);
                        composed.values[l].set(new NDIndex().addSliceDim(i, i + 1).addAllDim()
                                .addSliceDim(offset, length), v);
                    }
                }
            }
        } catch (RuntimeException e) {
            composed.close();
            throw e;
        }
        composed.length = length;
        return composed;
    }

    /** The first column of {@code row} holding a real token; {@link #length()} when it has none. */
    private int firstAttendable(int row) {
        int column = 0;
        while (column < length && !attendable[row][column]) {
            column++;
        }
        return column;
    }

    private Shape keyShape(int columns) {
        return new Shape(batch, config.numKvHeads(), config.headDim(), columns);
    }

    private Shape valueShape(int columns) {
        return new Shape(batch, config.numKvHeads(), columns, config.headDim());
    }

    public int batchSize() {
        return batch;
    }

    /** Columns written so far (tokens per row, padding included). */
    public int length() {
        return length;
    }

    /** Columns allocated; attention runs over all of them, unused ones masked. */
    public int capacity() {
        return attendable[0].length;
    }

    /** The RoPE position the next token of {@code row} gets when positions are implicit. */
    public int nextPosition(int row) {
        return nextPosition[row];
    }

    /** Whether column {@code column} of {@code row} holds a real token (not padding, not yet written). */
    public boolean isAttendable(int row, int column) {
        return attendable[row][column];
    }

    @Override
    public NDArray readKeys(int layer, int from, int to, NDManager into) {
        checkRange(from, to, length);
        NDArray slice = keys[layer].get(new NDIndex().addAllDim(3).addSliceDim(from, to));
        NDArray copy = slice.transpose(0, 1, 3, 2).duplicate();
        copy.attach(into);
        slice.close();
        return copy;
    }

    @Override
    public NDArray readValues(int layer, int from, int to, NDManager into) {
        checkRange(from, to, length);
        NDArray slice = values[layer].get(columns(from, to));
        NDArray copy = slice.duplicate();
        copy.attach(into);
        slice.close();
        return copy;
    }

    /**
     * Overwrites columns {@code [from, from + n)} of one layer with new keys and values
     * {@code [batch, kvHeads, n, headDim]}; the columns must already be written. This is how a fuser's
     * output replaces the receiver's own cache entries.
     */
    public void overwrite(int layer, int from, NDArray newKeys, NDArray newValues) {
        int n = Math.toIntExact(newKeys.getShape().get(2));
        checkRange(from, from + n, length);
        try (NDArray transposed = newKeys.transpose(0, 1, 3, 2)) {
            write(layer, from, transposed, newValues);
        }
    }

    /**
     * Columns of one row over every layer, detached from the cache they were read from: entries a frozen model
     * computed once for a span of tokens, for {@link #appendBlocks} to write into other caches. Keys are kept
     * transposed as the cache stores them, {@code [1, kvHeads, headDim, n]}; values {@code [1, kvHeads, n, headDim]}.
     *
     * @param attendable   per column, whether it holds a real token
     * @param nextPosition the source row's next position when the block was read
     */
    public record Block(NDArray[] transposedKeys, NDArray[] values, boolean[] attendable, int nextPosition) {
        public int width() {
            return attendable.length;
        }
    }

    /** Columns {@code [from, to)} of one row as a {@link Block} owned by {@code into}. */
    public Block copyBlock(int row, int from, int to, NDManager into) {
        Objects.checkIndex(row, batch);
        checkRange(from, to, length);
        NDArray[] blockKeys = new NDArray[keys.length];
        NDArray[] blockValues = new NDArray[keys.length];
        for (int l = 0; l < keys.length; l++) {
            try (NDArray k = keys[l].get(new NDIndex().addSliceDim(row, row + 1).addAllDim(2).addSliceDim(from, to));
                 NDArray v = values[l].get(new NDIndex().addSliceDim(row, row + 1).addAllDim().addSliceDim(from, to))) {
                blockKeys[l] = k.duplicate();
                blockValues[l] = v.duplicate();
                blockKeys[l].attach(into);
                blockValues[l].attach(into);
            }
        }
        return new Block(blockKeys, blockValues, Arrays.copyOfRange(attendable[row], from, to), nextPosition[row]);
    }

    /**
     * Appends one block of columns as wide as the widest of {@code blocks}, one block per row, each
     * left-aligned and a narrower one padded on its right with columns that are never attended to: the layout
     * a forward pass of right-padded rows leaves. A row's next position becomes at least its block's.
     */
    public void appendBlocks(List<Block> blocks) {
        if (blocks.size() != batch) {
            throw new IllegalArgumentException(blocks.size() + " blocks for a cache of " + batch + " rows");
        }
        int width = blocks.stream().mapToInt(Block::width).max().orElseThrow();
        ensureCapacity(length + width);
        int start = length;
        for (int b = 0; b < batch; b++) {
            Block block = blocks.get(b);
            System.arraycopy(block.attendable(), 0, attendable[b], start, block.width());
            Arrays.fill(attendable[b], start + block.width(), start + width, false);
            nextPosition[b] = Math.max(nextPosition[b], block.nextPosition());
        }
        try (NDManager scratch = manager.newSubManager()) {
            for (int l = 0; l < keys.length; l++) {
                NDList rowKeys = new NDList();
                NDList rowValues = new NDList();
                for (Block block : blocks) {
                    rowKeys.add(padColumns(block.transposedKeys()[l], 3, width, scratch));
                    rowValues.add(padColumns(block.values()[l], 2, width, scratch));
                }
                NDArray blockKeys = NDArrays.concat(rowKeys, 0);
                NDArray blockValues = NDArrays.concat(rowValues, 0);
                blockKeys.attach(scratch);
                blockValues.attach(scratch);
                write(l, start, blockKeys, blockValues);
            }
        }
        length += width;
    }

    /** {@code entries} widened to {@code width} columns along {@code columnAxis} with zeros, when narrower. */
    private static NDArray padColumns(NDArray entries, int columnAxis, int width, NDManager scratch) {
        long[] shape = entries.getShape().getShape().clone();
        if (shape[columnAxis] == width) {
            return entries;
        }
        shape[columnAxis] = width - shape[columnAxis];
        NDArray padded = NDArrays.concat(new NDList(entries, scratch.zeros(new Shape(shape), DataType.FLOAT32)), columnAxis);
        padded.attach(scratch);
        return padded;
    }

    /** Columns attention reads: the written ones rounded up to a {@value #WIDTH_STEP}-column step, at most all. */
    int attentionWidth() {
        return Math.min(capacity(), Math.max(WIDTH_STEP, (length + WIDTH_STEP - 1) / WIDTH_STEP * WIDTH_STEP));
    }

    /** Transposed keys of a layer over the attention width {@code [batch, kvHeads, headDim, width]}: a view of the store. */
    NDArray attentionKeys(int layer) {
        refreshViews();
        return keyViews[layer];
    }

    /** Values of a layer over the attention width {@code [batch, kvHeads, width, headDim]}: a view of the store. */
    NDArray attentionValues(int layer) {
        refreshViews();
        return valueViews[layer];
    }

    /** Views see later in-place writes, so they are only re-cut when the width or the storage changes. */
    private void refreshViews() {
        int width = attentionWidth();
        if (width == viewWidth && keyViews[0] != null) {
            return;
        }
        for (int l = 0; l < keys.length; l++) {
            closeViews(l);
            keyViews[l] = keys[l].get(new NDIndex().addAllDim(3).addSliceDim(0, width));
            valueViews[l] = values[l].get(columns(0, width));
        }
        viewWidth = width;
    }

    private void closeViews(int layer) {
        if (keyViews[layer] != null) {
            keyViews[layer].close();
            valueViews[layer].close();
            keyViews[layer] = null;
            valueViews[layer] = null;
        }
    }

    /**
     * Reserves {@code n} new columns for a forward pass, records which are real tokens and their positions,
     * and returns the first new column. Keys and values are written by {@link #write} per layer.
     */
    int append(boolean[][] padding, int[][] positions) {
        int n = padding[0].length;
        ensureCapacity(length + n);
        int start = length;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < n; t++) {
                attendable[b][start + t] = !padding[b][t];
                nextPosition[b] = Math.max(nextPosition[b], positions[b][t] + 1);
            }
        }
        length += n;
        return start;
    }

    /** Writes transposed keys {@code [batch, kvHeads, headDim, n]} and values {@code [batch, kvHeads, n, headDim]}. */
    void write(int layer, int from, NDArray transposedKeys, NDArray newValues) {
        long to = from + newValues.getShape().get(2);
        keys[layer].set(new NDIndex().addAllDim(3).addSliceDim(from, to), transposedKeys);
        values[layer].set(columns(from, to), newValues);
    }

    private static NDIndex columns(long from, long to) {
        return new NDIndex().addAllDim(2).addSliceDim(from, to);
    }

    /** Grows storage to at least {@code columns}, doubling so that decoding does not reallocate every step. */
    public void ensureCapacity(int columns) {
        int capacity = capacity();
        if (columns <= capacity) {
            return;
        }
        int grown = Math.max(columns, capacity * 2);
        for (int l = 0; l < keys.length; l++) {
            closeViews(l);
            keys[l] = grow(keys[l], keyShape(grown), 3);
            values[l] = grow(values[l], valueShape(grown), 2);
        }
        boolean[][] mask = new boolean[batch][];
        for (int b = 0; b < batch; b++) {
            mask[b] = Arrays.copyOf(attendable[b], grown);
        }
        attendable = mask;
    }

    private NDArray grow(NDArray old, Shape target, int columnAxis) {
        long[] extraShape = target.getShape();
        extraShape[columnAxis] -= old.getShape().get(columnAxis);
        NDArray extra = manager.zeros(new Shape(extraShape), DataType.FLOAT32);
        NDArray grown = NDArrays.concat(new NDList(old, extra), columnAxis);
        old.close();
        extra.close();
        return grown;
    }

    private static void checkRange(int from, int to, int length) {
        if (from < 0 || to > length || from > to) {
            throw new IndexOutOfBoundsException("token range [" + from + ", " + to + ") outside the cache's "
                    + length + " written columns");
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
