package io.c2cstream.schemas.kv;

import static io.c2cstream.schemas.kv.SegmentLayout.CHECKSUM_BYTES;
import static io.c2cstream.schemas.kv.SegmentLayout.MAGIC;
import static io.c2cstream.schemas.kv.SegmentLayout.MIN_LENGTH;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_CODEC;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_DTYPE;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_FLAGS;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_HEAD_DIM;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_IDS;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_KV_HEADS;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_LAYER_COUNT;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_LAYER_START;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_LENGTH;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_MAGIC;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_MODEL_ID_LENGTH;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_REQUEST_ID_LENGTH;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_SEGMENT_COUNT;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_SEGMENT_INDEX;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_TOKEN_COUNT;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_TOKEN_START;
import static io.c2cstream.schemas.kv.SegmentLayout.OFFSET_VERSION;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32C;

import io.c2cstream.schemas.avro.KvSegment;
import io.c2cstream.schemas.avro.SegmentCodec;
import io.c2cstream.schemas.avro.SegmentDtype;
import io.c2cstream.schemas.avro.SegmentScales;

/**
 * Encodes a {@link KvSlice} (a layer group x token block of a KV cache) into one self-describing, checksummed
 * segment and back. The layout (docs/wire-contracts.md) is a fixed little-endian header with the request and model
 * ids, the INT8 scales when quantized, the dense payload (per layer K then V), and a CRC32C over everything before
 * it.
 *
 * <p>Encoding uses the configured {@link Builder#dtype dtype}; decoding reads whatever dtype the segment declares.
 * Decoding checks, in this order, size, magic, format version, declared length, checksum, codec and dtype, then the
 * header's fields against the length; any failure is a {@link KvSegmentException} naming it, and no tensor element
 * is written before all checks passed.
 *
 * <p>Immutable and thread-safe. Buffers are read and written with absolute indexing: positions do not move except
 * where a method says so.
 */
public final class KvSegmentCodec {

    /** The segment format version this codec writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Wire id of the DENSE payload codec, the only one of version 1. */
    static final int CODEC_DENSE = 1;

    private final KvDtype dtype;

    private KvSegmentCodec(Builder builder) {
        this.dtype = builder.dtype;
    }

    /** A builder; the defaults give a lossless F32 codec. */
    public static Builder builder() {
        return new Builder();
    }

    /** The dtype segments are encoded with. */
    public KvDtype dtype() {
        return dtype;
    }

    /** Bytes {@link #encode(KvSegmentId, KvSlice)} produces for this id and slice. */
    public int encodedSize(KvSegmentId id, KvSlice slice) {
        return Math.toIntExact(layoutOf(id, slice).totalLength());
    }

    /** Encodes into a new direct buffer (little-endian, position 0, limit at the end of the segment). */
    public ByteBuffer encode(KvSegmentId id, KvSlice slice) {
        ByteBuffer segment = ByteBuffer.allocateDirect(encodedSize(id, slice)).order(ByteOrder.LITTLE_ENDIAN);
        encode(id, slice, segment);
        return segment.flip();
    }

    /**
     * Encodes at {@code target}'s position and advances it past the segment (reuse one buffer for many segments).
     *
     * @return bytes written
     * @throws KvSegmentException {@link KvSegmentError#BUFFER_TOO_SMALL} when the segment does not fit, or
     *     {@link KvSegmentError#NON_FINITE_VALUE} when INT8 meets NaN or infinity (nothing useful is written then)
     */
    public int encode(KvSegmentId id, KvSlice slice, ByteBuffer target) {
        SegmentLayout layout = layoutOf(id, slice);
        int length = Math.toIntExact(layout.totalLength());
        if (target.remaining() < length) {
            throw new KvSegmentException(KvSegmentError.BUFFER_TOO_SMALL, "segment needs " + length
                    + " bytes, target buffer has " + target.remaining() + " remaining");
        }
        ByteBuffer out = target.slice().limit(length).order(ByteOrder.LITTLE_ENDIAN);
        byte[] requestId = id.requestId().getBytes(StandardCharsets.UTF_8);
        byte[] modelId = id.modelId().getBytes(StandardCharsets.UTF_8);
        out.putInt(OFFSET_MAGIC, MAGIC)
                .put(OFFSET_VERSION, (byte) FORMAT_VERSION)
                .put(OFFSET_CODEC, (byte) CODEC_DENSE)
                .put(OFFSET_DTYPE, (byte) dtype.wireId())
                .put(OFFSET_FLAGS, (byte) 0)
                .putInt(OFFSET_LENGTH, length)
                .putInt(OFFSET_LAYER_START, slice.layerStart())
                .putInt(OFFSET_LAYER_COUNT, slice.layerCount())
                .putInt(OFFSET_TOKEN_START, slice.tokenStart())
                .putInt(OFFSET_TOKEN_COUNT, slice.tokenCount())
                .putInt(OFFSET_KV_HEADS, slice.kvHeads())
                .putInt(OFFSET_HEAD_DIM, slice.headDim())
                .putInt(OFFSET_SEGMENT_INDEX, id.segmentIndex())
                .putInt(OFFSET_SEGMENT_COUNT, id.segmentCount())
                .putShort(OFFSET_REQUEST_ID_LENGTH, (short) requestId.length)
                .putShort(OFFSET_MODEL_ID_LENGTH, (short) modelId.length)
                .put(OFFSET_IDS, requestId)
                .put(OFFSET_IDS + requestId.length, modelId);
        for (int i = OFFSET_IDS + requestId.length + modelId.length; i < layout.scalesOffset(); i++) {
            out.put(i, (byte) 0);
        }
        for (int layer = 0; layer < slice.layerCount(); layer++) {
            for (int kind = 0; kind < 2; kind++) {
                int tensor = 2 * layer + kind;
                DenseElements.write(layout, kind == 0 ? slice.keyFloats(layer) : slice.valueFloats(layer), out,
                        layout.payloadOffset() + tensor * layout.tensorBytes(),
                        layout.scalesOffset() + tensor * layout.rowsPerTensor() * Float.BYTES,
                        tensorName(kind, slice.layerStart() + layer));
            }
        }
        out.putInt(layout.checksumOffset(), crc32c(out, layout.checksumOffset()));
        target.position(target.position() + length);
        return length;
    }

    /**
     * Validates a segment (the bytes between {@code segment}'s position and limit) and describes it, without
     * decoding the tensors: for routing and bookkeeping before the payload is needed.
     *
     * @throws KvSegmentException naming the first check that failed
     */
    public KvSegment readHeader(ByteBuffer segment) {
        return parse(segment).toAvro();
    }

    /** Validates and decodes a segment into a new slice of direct buffers. */
    public KvSlice decode(ByteBuffer segment) {
        SegmentHeader header = parse(segment);
        SegmentLayout layout = header.layout();
        KvSlice slice = KvSlice.allocate(header.layerStart(), layout.layerCount(), header.tokenStart(),
                layout.tokenCount(), layout.kvHeads(), layout.headDim());
        decodeTensors(header, segment, slice);
        return slice;
    }

    /**
     * Validates and decodes a segment into {@code target}, which must have the segment's shape (reuse one slice for
     * many segments).
     *
     * @return the segment's header
     * @throws KvSegmentException {@link KvSegmentError#SHAPE_MISMATCH} when {@code target} has another shape, or
     *     naming the first validity check that failed; {@code target} is untouched then
     */
    public KvSegment decodeInto(ByteBuffer segment, KvSlice target) {
        SegmentHeader header = parse(segment);
        SegmentLayout layout = header.layout();
        if (header.layerStart() != target.layerStart() || layout.layerCount() != target.layerCount()
                || header.tokenStart() != target.tokenStart() || layout.tokenCount() != target.tokenCount()
                || layout.kvHeads() != target.kvHeads() || layout.headDim() != target.headDim()) {
            throw new KvSegmentException(KvSegmentError.SHAPE_MISMATCH, "segment " + header.describeShape()
                    + " does not fit a target slice of layers " + target.layerStart() + "+" + target.layerCount()
                    + ", tokens " + target.tokenStart() + "+" + target.tokenCount() + ", " + target.kvHeads()
                    + " heads x " + target.headDim());
        }
        decodeTensors(header, segment, target);
        return header.toAvro();
    }

    private static void decodeTensors(SegmentHeader header, ByteBuffer segment, KvSlice target) {
        SegmentLayout layout = header.layout();
        ByteBuffer in = segment.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (layout.dtype().quantized()) {
            requireValidScales(header, in);
        }
        for (int layer = 0; layer < layout.layerCount(); layer++) {
            for (int kind = 0; kind < 2; kind++) {
                int tensor = 2 * layer + kind;
                DenseElements.read(layout, in, layout.payloadOffset() + tensor * layout.tensorBytes(),
                        layout.scalesOffset() + tensor * layout.rowsPerTensor() * Float.BYTES,
                        kind == 0 ? target.keys().get(layer) : target.values().get(layer));
            }
        }
    }

    /** Checks every scale before any element is written, so that a bad segment leaves the target untouched. */
    private static void requireValidScales(SegmentHeader header, ByteBuffer in) {
        SegmentLayout layout = header.layout();
        for (int offset = layout.scalesOffset(); offset < layout.payloadOffset(); offset += Float.BYTES) {
            float scale = in.getFloat(offset);
            if (!(scale >= 0f) || scale == Float.POSITIVE_INFINITY) {
                int row = (offset - layout.scalesOffset()) / Float.BYTES;
                int tensor = row / layout.rowsPerTensor();
                int inTensor = row % layout.rowsPerTensor();
                throw new KvSegmentException(KvSegmentError.INVALID_SCALE, tensorName(tensor % 2,
                        header.layerStart() + tensor / 2) + " head " + inTensor / layout.tokenCount() + " token "
                        + inTensor % layout.tokenCount() + " has scale " + scale
                        + "; scales are finite and non-negative");
            }
        }
    }

    private static SegmentHeader parse(ByteBuffer segment) {
        ByteBuffer in = segment.slice().order(ByteOrder.LITTLE_ENDIAN);
        int length = in.remaining();
        if (length < MIN_LENGTH) {
            throw new KvSegmentException(KvSegmentError.TRUNCATED, length + " bytes cannot hold a KV segment (at"
                    + " least " + MIN_LENGTH + ")");
        }
        if (in.getInt(OFFSET_MAGIC) != MAGIC) {
            throw new KvSegmentException(KvSegmentError.BAD_MAGIC, String.format("bytes start with %08X, not the"
                    + " KV segment magic 'C2KV': not a segment", Integer.reverseBytes(in.getInt(OFFSET_MAGIC))));
        }
        int version = in.get(OFFSET_VERSION) & 0xff;
        if (version != FORMAT_VERSION) {
            throw new KvSegmentException(KvSegmentError.UNSUPPORTED_VERSION, "segment format version " + version
                    + " is not readable by this codec (reads version " + FORMAT_VERSION + "): upgrade the reader"
                    + " before the writer");
        }
        int declaredLength = in.getInt(OFFSET_LENGTH);
        if (declaredLength != length) {
            throw new KvSegmentException(KvSegmentError.LENGTH_MISMATCH, "segment declares " + declaredLength
                    + " bytes but " + length + " were given: truncated or extended in transit");
        }
        int checksumOffset = length - CHECKSUM_BYTES;
        int stored = in.getInt(checksumOffset);
        int computed = crc32c(in, checksumOffset);
        if (stored != computed) {
            throw new KvSegmentException(KvSegmentError.CHECKSUM_MISMATCH, String.format("stored CRC32C %08X,"
                    + " computed %08X over %d bytes: the segment was corrupted", stored, computed, checksumOffset));
        }
        return SegmentHeader.parseVerified(in, length, Integer.toUnsignedLong(stored));
    }

    private SegmentLayout layoutOf(KvSegmentId id, KvSlice slice) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(slice, "slice");
        return SegmentLayout.of(dtype, slice.layerCount(), slice.tokenCount(), slice.kvHeads(), slice.headDim(),
                id.requestId().getBytes(StandardCharsets.UTF_8).length,
                id.modelId().getBytes(StandardCharsets.UTF_8).length);
    }

    private static int crc32c(ByteBuffer buffer, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().position(0).limit(length));
        return (int) crc.getValue();
    }

    private static String tensorName(int kind, int layer) {
        return (kind == 0 ? "keys" : "values") + " of layer " + layer;
    }

    /** Configures a {@link KvSegmentCodec}. */
    public static final class Builder {

        private KvDtype dtype = KvDtype.F32;

        private Builder() {
        }

        /**
         * Payload dtype of encoded segments (default {@link KvDtype#F32}, lossless). {@link KvDtype#BF16} is the
         * models' own cache precision at half the bytes; {@link KvDtype#INT8} quarters them at a bounded error.
         */
        public Builder dtype(KvDtype dtype) {
            this.dtype = Objects.requireNonNull(dtype, "dtype");
            return this;
        }

        public KvSegmentCodec build() {
            return new KvSegmentCodec(this);
        }
    }

    /** A header that passed the checksum, with its fields checked against each other and the length. */
    private record SegmentHeader(int layerStart, int tokenStart, String requestId, String modelId, int segmentIndex,
                                 int segmentCount, long checksum, SegmentLayout layout) {

        static SegmentHeader parseVerified(ByteBuffer in, int length, long checksum) {
            int codec = in.get(OFFSET_CODEC) & 0xff;
            if (codec != CODEC_DENSE) {
                throw new KvSegmentException(KvSegmentError.UNKNOWN_CODEC, "payload codec id " + codec
                        + " is unknown to this reader (knows " + CODEC_DENSE + " = DENSE): upgrade the reader");
            }
            int dtypeId = in.get(OFFSET_DTYPE) & 0xff;
            KvDtype dtype = KvDtype.fromWireId(dtypeId);
            if (dtype == null) {
                throw new KvSegmentException(KvSegmentError.UNKNOWN_DTYPE, "dtype id " + dtypeId
                        + " is unknown to this reader: upgrade the reader");
            }
            int flags = in.get(OFFSET_FLAGS) & 0xff;
            requireHeader(flags == 0, "reserved flags byte is " + flags + ", must be 0");
            int layerStart = in.getInt(OFFSET_LAYER_START);
            int layerCount = in.getInt(OFFSET_LAYER_COUNT);
            int tokenStart = in.getInt(OFFSET_TOKEN_START);
            int tokenCount = in.getInt(OFFSET_TOKEN_COUNT);
            int kvHeads = in.getInt(OFFSET_KV_HEADS);
            int headDim = in.getInt(OFFSET_HEAD_DIM);
            int segmentIndex = in.getInt(OFFSET_SEGMENT_INDEX);
            int segmentCount = in.getInt(OFFSET_SEGMENT_COUNT);
            requireHeader(layerStart >= 0 && tokenStart >= 0, "layer start " + layerStart + " and token start "
                    + tokenStart + " must not be negative");
            requireHeader(layerCount >= 1 && tokenCount >= 1 && kvHeads >= 1 && headDim >= 1, "layers "
                    + layerCount + ", tokens " + tokenCount + ", heads " + kvHeads + ", head dim " + headDim
                    + " must all be at least 1");
            requireHeader(segmentCount >= 1 && segmentIndex >= 0 && segmentIndex < segmentCount, "segment index "
                    + segmentIndex + " of " + segmentCount + " is out of range");
            int requestIdBytes = in.getShort(OFFSET_REQUEST_ID_LENGTH) & 0xffff;
            int modelIdBytes = in.getShort(OFFSET_MODEL_ID_LENGTH) & 0xffff;
            SegmentLayout layout = SegmentLayout.of(dtype, layerCount, tokenCount, kvHeads, headDim, requestIdBytes,
                    modelIdBytes);
            if (layout.totalLength() != length) {
                throw new KvSegmentException(KvSegmentError.LENGTH_MISMATCH, "header describes " + layout.totalLength()
                        + " bytes (" + layerCount + " layers x " + tokenCount + " tokens x " + kvHeads + " heads x "
                        + headDim + " " + dtype + ") but the segment has " + length);
            }
            for (int i = OFFSET_IDS + requestIdBytes + modelIdBytes; i < layout.scalesOffset(); i++) {
                requireHeader(in.get(i) == 0, "padding byte at offset " + i + " is not zero");
            }
            String requestId = utf8(in, OFFSET_IDS, requestIdBytes, "request id");
            String modelId = utf8(in, OFFSET_IDS + requestIdBytes, modelIdBytes, "model id");
            return new SegmentHeader(layerStart, tokenStart, requestId, modelId, segmentIndex, segmentCount, checksum,
                    layout);
        }

        KvSegment toAvro() {
            return KvSegment.newBuilder()
                    .setFormatVersion(FORMAT_VERSION)
                    .setRequestId(requestId)
                    .setModelId(modelId)
                    .setLayerStart(layerStart)
                    .setLayerCount(layout.layerCount())
                    .setTokenStart(tokenStart)
                    .setTokenCount(layout.tokenCount())
                    .setKvHeads(layout.kvHeads())
                    .setHeadDim(layout.headDim())
                    .setDtype(SegmentDtype.valueOf(layout.dtype().name()))
                    .setCodec(SegmentCodec.DENSE)
                    .setQuantization(layout.dtype().quantized()
                            ? new SegmentScales(layout.scalesOffset(),
                                    (layout.payloadOffset() - layout.scalesOffset()) / Float.BYTES)
                            : null)
                    .setPayloadOffset(layout.payloadOffset())
                    .setPayloadLength(layout.checksumOffset() - layout.payloadOffset())
                    .setChecksum(checksum)
                    .setSegmentIndex(segmentIndex)
                    .setSegmentCount(segmentCount)
                    .build();
        }

        String describeShape() {
            return "of layers " + layerStart + "+" + layout.layerCount() + ", tokens " + tokenStart + "+"
                    + layout.tokenCount() + ", " + layout.kvHeads() + " heads x " + layout.headDim();
        }

        private static String utf8(ByteBuffer in, int offset, int length, String what) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .decode(in.duplicate().position(offset).limit(offset + length)).toString();
            } catch (CharacterCodingException e) {
                throw new KvSegmentException(KvSegmentError.INVALID_HEADER, what + " is not valid UTF-8");
            }
        }

        private static void requireHeader(boolean condition, String message) {
            if (!condition) {
                throw new KvSegmentException(KvSegmentError.INVALID_HEADER, message);
            }
        }
    }
}
