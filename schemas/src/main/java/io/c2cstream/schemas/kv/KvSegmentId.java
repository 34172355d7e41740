package io.c2cstream.schemas.kv;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Which cache a segment belongs to and where it sits in the sequence the receiver reassembles.
 *
 * @param requestId request the cache was computed for (at most 65535 UTF-8 bytes)
 * @param modelId model that computed it (at most 65535 UTF-8 bytes)
 * @param segmentIndex position among the request's segments from this model, {@code 0 <= index < count}
 * @param segmentCount number of segments the request's cache from this model is cut into
 */
public record KvSegmentId(String requestId, String modelId, int segmentIndex, int segmentCount) {

    /** Longest id, in UTF-8 bytes: ids are stored with a 16-bit length. */
    public static final int MAX_ID_BYTES = 0xffff;

    public KvSegmentId {
        requireIdLength("requestId", requestId);
        requireIdLength("modelId", modelId);
        if (segmentCount < 1 || segmentIndex < 0 || segmentIndex >= segmentCount) {
            throw new IllegalArgumentException("segment index " + segmentIndex + " of " + segmentCount
                    + " is out of range: need 0 <= index < count");
        }
    }

    private static void requireIdLength(String name, String id) {
        Objects.requireNonNull(id, name);
        int bytes = id.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_ID_BYTES) {
            throw new IllegalArgumentException(name + " has " + bytes + " UTF-8 bytes, more than " + MAX_ID_BYTES);
        }
    }
}
