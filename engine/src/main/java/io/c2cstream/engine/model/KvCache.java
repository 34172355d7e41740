package io.c2cstream.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The attention keys and values of a batch of sequences, per layer {@code [batch, kvHeads, columns, headDim]},
 * exactly what Hugging Face stores: keys after the k-norm and RoPE, values as projected.
 *
 * <p>Internally keys and values are kept transposed, {@code [batch, kvHeads, headDim, columns]}: attention scores are
 * one matmul with no per-step transpose, and Java code ({@link VectorDecodeKernel}) reads both along the column
 * axis in whole SIMD lanes, however small the head. The public read and overwrite methods use the layout above.
 *
 * <p>All rows share one column axis. A column of a row is either a token of that row or padding (for
 * sequences of different lengths, or pad slots of token alignment); padding columns are never attended to.
 * Storage is preallocated in steps of {@value #WIDTH_STEP} columns and grows by doubling, so an append writes in
 * place. Attention reads a view of the first {@link #attentionWidth()} columns, which grows in the same steps so
 * that the view is re-cut rarely while attention never scans far past the written columns (and Java code can
 * read whole SIMD vectors up to it). The cache owns its native memory:
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
    /** The storage as bytes shared with the backend, for Java code; made on first use, dropped when storage changes. */
    private final ByteBuffer[] keyStores;
    private final ByteBuffer[] valueStores;
    private int viewWidth;
    /** Set by {@link #trackGradients()}. */
    private boolean tracksGradients;
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
        this.keyStores = new ByteBuffer[config.numLayers()];
        this.valueStores = new ByteBuffer[config.numLayers()];
        int initial = columnSteps(Math.max(capacity, 1));
        for (int l = 0; l < keys.length; l++) {
            keys[l] = manager.zeros(storeShape(initial), DataType.FLOAT32);
            values[l] = manager.zeros(storeShape(initial), DataType.FLOAT32);
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
                composed.tracksGradients |= source.tracksGradients;
                if (offset == length) {
                    continue;
                }
                for (int l = 0; l < composed.keys.length; l++) {
                    // Keys and values [1, kvHeads, headDim, span], as stored.
                    try (NDArray k = source.keys[l].get(rowColumns(row, from[i], source.length));
                         NDArray v = source.values[l].get(rowColumns(row, from[i], source.length))) {
                        composed.keys[l].set(rowColumns(i, offset, length), k);
                        composed.values[l].set(rowColumns(i, offset, length), v);
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

    private Shape storeShape(int columns) {
        return new Shape(batch, config.numKvHeads(), config.headDim(), columns);
    }

    public int batchSize() {
        return batch;
    }

    /** Columns written so far (tokens per row, padding included). */
    public int length() {
        return length;
    }

    /** Columns allocated, a whole number of {@value #WIDTH_STEP}-column steps. */
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
        return read(keys[layer], from, to, into);
    }

    @Override
    public NDArray readValues(int layer, int from, int to, NDManager into) {
        return read(values[layer], from, to, into);
    }

    /** Columns {@code [from, to)} of a store, {@code [batch, kvHeads, n, headDim]}, copied into {@code into}. */
    private NDArray read(NDArray store, int from, int to, NDManager into) {
        checkRange(from, to, length);
        try (NDArray slice = store.get(columns(from, to)); NDArray transposed = slice.transpose(0, 1, 3, 2)) {
            NDArray copy = transposed.duplicate();
            copy.attach(into);
            return copy;
        }
    }

    /**
     * Overwrites columns {@code [from, from + n)} of one layer with new keys and values
     * {@code [batch, kvHeads, n, headDim]}; the columns must already be written. This is how a fuser's
     * output replaces the receiver's own cache entries.
     */
    public void overwrite(int layer, int from, NDArray newKeys, NDArray newValues) {
        int n = Math.toIntExact(newKeys.getShape().get(2));
        checkRange(from, from + n, length);
        try (NDArray transposedKeys = newKeys.transpose(0, 1, 3, 2);
             NDArray transposedValues = newValues.transpose(0, 1, 3, 2)) {
            write(layer, from, transposedKeys, transposedValues);
        }
    }

    /**
     * Columns of one row over every layer, detached from the cache they were read from: entries a frozen model
     * computed once for a span of tokens, for {@link #appendBlocks} to write into other caches. Keys and values are
     * kept transposed as the cache stores them, {@code [1, kvHeads, headDim, n]}.
     *
     * @param attendable   per column, whether it holds a real token
     * @param nextPosition the source row's next position when the block was read
     */
    public record Block(NDArray[] transposedKeys, NDArray[] transposedValues, boolean[] attendable, int nextPosition) {
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
            try (NDArray k = keys[l].get(rowColumns(row, from, to)); NDArray v = values[l].get(rowColumns(row, from, to))) {
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
                    rowKeys.add(padColumns(block.transposedKeys()[l], width, scratch));
                    rowValues.add(padColumns(block.transposedValues()[l], width, scratch));
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

    /** Stored {@code entries} widened to {@code width} columns with zeros, when narrower. */
    private static NDArray padColumns(NDArray entries, int width, NDManager scratch) {
        int columnAxis = 3;
        long[] shape = entries.getShape().getShape().clone();
        if (shape[columnAxis] == width) {
            return entries;
        }
        shape[columnAxis] = width - shape[columnAxis];
        NDArray padded = NDArrays.concat(new NDList(entries, scratch.zeros(new Shape(shape), DataType.FLOAT32)), columnAxis);
        padded.attach(scratch);
        return padded;
    }

    /** Columns attention reads: the written ones rounded up to a {@value #WIDTH_STEP}-column step. */
    int attentionWidth() {
        return columnSteps(Math.max(length, 1));
    }

    /** {@code columns} rounded up to whole {@value #WIDTH_STEP}-column steps, the unit storage is allocated in. */
    private static int columnSteps(int columns) {
        return (columns + WIDTH_STEP - 1) / WIDTH_STEP * WIDTH_STEP;
    }

    /** Transposed keys of a layer over the attention width {@code [batch, kvHeads, headDim, width]}: a view of the store. */
    NDArray attentionKeys(int layer) {
        refreshViews();
        return keyViews[layer];
    }

    /**
     * Values of a layer over the attention width {@code [batch, kvHeads, width, headDim]}: a transposed view of the
     * store, which the backend's batched matmul reads in place.
     */
    NDArray attentionValues(int layer) {
        refreshViews();
        return valueViews[layer];
    }

    /** Whether one layer's store fits a byte buffer (at most 2 GiB), which {@link #keyStore} needs. */
    boolean storesFitByteBuffers() {
        return storeBytes(batch, config.numKvHeads(), config.headDim(), capacity()) <= Integer.MAX_VALUE;
    }

    static long storeBytes(int batch, int kvHeads, int headDim, int columns) {
        return (long) batch * kvHeads * headDim * columns * Float.BYTES;
    }

    /**
     * One layer's transposed keys {@code [batch, kvHeads, headDim, capacity]} as native-order f32 bytes sharing the
     * store's memory: what is written through it is what attention reads. Valid until the store grows or the cache
     * closes, so callers fetch it per step rather than keep it.
     */
    ByteBuffer keyStore(int layer) {
        if (keyStores[layer] == null) {
            keyStores[layer] = keys[layer].toByteBuffer(true).order(ByteOrder.nativeOrder());
        }
        return keyStores[layer];
    }

    /** One layer's transposed values {@code [batch, kvHeads, headDim, capacity]}, shared like {@link #keyStore}. */
    ByteBuffer valueStore(int layer) {
        if (valueStores[layer] == null) {
            valueStores[layer] = values[layer].toByteBuffer(true).order(ByteOrder.nativeOrder());
        }
        return valueStores[layer];
    }

    /** Views see later in-place writes, so they are only re-cut when the width or the storage changes. */
    private void refreshViews() {
        int width = attentionWidth();
        if (width == viewWidth && keyViews[0] != null) {
            return;
        }
        for (int l = 0; l < keys.length; l++) {
            closeViews(l);
            keyViews[l] = keys[l].get(columns(0, width));
            try (NDArray values = this.values[l].get(columns(0, width))) {
                valueViews[l] = values.transpose(0, 1, 3, 2);
            }
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

    /** Writes transposed keys and values {@code [batch, kvHeads, headDim, n]}. */
    void write(int layer, int from, NDArray transposedKeys, NDArray transposedValues) {
        NDIndex columns = columns(from, from + transposedValues.getShape().get(3));
        keys[layer].set(columns, transposedKeys);
        values[layer].set(columns, transposedValues);
    }

    /**
     * Marks this cache as one whose entries carry gradients (a fuser in training overwrites them with its output):
     * every forward pass over it then runs on the backend, where autograd records it, never in Java. Neither DJL nor
     * libtorch's thread-local grad mode (on by default in every thread DJL did not set up) tells this reliably.
     */
    public void trackGradients() {
        tracksGradients = true;
    }

    boolean tracksGradients() {
        return tracksGradients;
    }

    /** Columns {@code [from, to)} of every row of a store. */
    private static NDIndex columns(long from, long to) {
        return new NDIndex().addAllDim(3).addSliceDim(from, to);
    }

    /** Columns {@code [from, to)} of one row of a store, the row axis kept. */
    private static NDIndex rowColumns(int row, long from, long to) {
        return new NDIndex().addSliceDim(row, row + 1).addAllDim(2).addSliceDim(from, to);
    }

    /** Grows storage to at least {@code columns}, doubling so that decoding does not reallocate every step. */
    public void ensureCapacity(int columns) {
        int capacity = capacity();
        if (columns <= capacity) {
            return;
        }
        int grown = columnSteps(Math.max(columns, capacity * 2));
        Arrays.fill(keyStores, null);
        Arrays.fill(valueStores, null);
        for (int l = 0; l < keys.length; l++) {
            closeViews(l);
            keys[l] = grow(keys[l], storeShape(grown));
            values[l] = grow(values[l], storeShape(grown));
        }
        boolean[][] mask = new boolean[batch][];
        for (int b = 0; b < batch; b++) {
            mask[b] = Arrays.copyOf(attendable[b], grown);
        }
        attendable = mask;
    }

    private NDArray grow(NDArray old, Shape target) {
        long[] extraShape = target.getShape();
        extraShape[3] -= old.getShape().get(3);
        NDArray extra = manager.zeros(new Shape(extraShape), DataType.FLOAT32);
        NDArray grown = NDArrays.concat(new NDList(old, extra), 3);
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
        Arrays.fill(keyStores, null);
        Arrays.fill(valueStores, null);
        manager.close();
    }
}
