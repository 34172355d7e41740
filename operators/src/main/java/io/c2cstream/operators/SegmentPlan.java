package io.c2cstream.operators;

import io.c2cstream.engine.c2c.C2cPrompt;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.schemas.kv.KvSegmentCodec;
import io.c2cstream.schemas.kv.KvSegmentId;
import io.c2cstream.schemas.kv.KvSlice;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Which pieces of the sharer's cache cross to the receiver for one prompt: the sharer layers some open-gated
 * projector reads (closed layers are never sent), in groups of consecutive layers, over the token columns of the
 * fused sections, cut into blocks small enough that every segment record stays under the size limit.
 */
final class SegmentPlan {
    /** One segment: sharer layers {@code [layerStart, layerStart + layerCount)} over columns {@code [from, to)}. */
    record Piece(int layerStart, int layerCount, int from, int to) {}

    private SegmentPlan() {}

    /** The sharer layers the fuser reads through an open gate, ascending. */
    static TreeSet<Integer> sharerLayersRead(C2cFuser fuser) {
        TreeSet<Integer> layers = new TreeSet<>();
        for (int t = 0; t < fuser.layerMap().receiverLayers(); t++) {
            if (fuser.fusesLayer(t)) {
                layers.add(fuser.sharerLayerOf(t));
            }
        }
        return layers;
    }

    /**
     * @param layersPerGroup at most this many consecutive layers per segment
     * @param maxBytes       no segment may be larger
     * @throws IllegalArgumentException naming {@code c2c.segment.max-bytes} when not even one token fits
     */
    static List<Piece> pieces(C2cFuser fuser, C2cPrompt prompt, KvSegmentCodec codec, String requestId, String modelId,
                              int kvHeads, int headDim, int layersPerGroup, int maxBytes) {
        List<int[]> groups = groups(sharerLayersRead(fuser), layersPerGroup);
        List<Piece> pieces = new ArrayList<>();
        for (int[] group : groups) {
            int block = tokensPerSegment(codec, requestId, modelId, group[1], kvHeads, headDim, maxBytes);
            for (C2cPrompt.Section s : prompt.sections()) {
                if (!s.fused()) {
                    continue;
                }
                for (int from = s.from(); from < s.to(); from += block) {
                    pieces.add(new Piece(group[0], group[1], from, Math.min(s.to(), from + block)));
                }
            }
        }
        return pieces;
    }

    /** Runs of consecutive layers, each {@code {start, count}} with {@code count <= perGroup}. */
    static List<int[]> groups(TreeSet<Integer> layers, int perGroup) {
        List<int[]> groups = new ArrayList<>();
        for (int layer : layers) {
            int[] last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            if (last != null && last[0] + last[1] == layer && last[1] < perGroup) {
                last[1]++;
            } else {
                groups.add(new int[] {layer, 1});
            }
        }
        return groups;
    }

    private static int tokensPerSegment(KvSegmentCodec codec, String requestId, String modelId, int layers,
                                        int kvHeads, int headDim, int maxBytes) {
        KvSegmentId id = new KvSegmentId(requestId, modelId, 0, 1);
        int one = codec.encodedSize(id, KvSlice.allocate(0, layers, 0, 1, kvHeads, headDim));
        int two = codec.encodedSize(id, KvSlice.allocate(0, layers, 0, 2, kvHeads, headDim));
        int perToken = two - one;
        if (one > maxBytes) {
            throw new IllegalArgumentException("setting c2c.segment.max-bytes (" + maxBytes + ") is smaller than one"
                    + " token of " + layers + " layers (" + one + " bytes): raise it or lower c2c.segment.layers");
        }
        return 1 + (maxBytes - one) / perToken;
    }
}
