package io.c2cstream.engine.model;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;

/** Makes reads of freed native memory visible: what libtorch still reads after the GC freed it turns to garbage. */
public final class FreedNativeMemory {
    private FreedNativeMemory() {}

    /**
     * Runs the garbage collector until it has freed every unreachable direct buffer, then allocates freed native
     * memory again, in every small size, and fills it with NaN.
     */
    public static void collectAndOverwrite() {
        // The reference handler frees direct buffers while it works through a collection's references; once the
        // sentinel of a second collection is enqueued, it has finished with the first.
        for (int collection = 0; collection < 2; collection++) {
            ReferenceQueue<Object> queue = new ReferenceQueue<>();
            WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
            try {
                do {
                    System.gc();
                } while (queue.remove(10) == null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                Reference.reachabilityFence(sentinel);
            }
        }
        for (int bytes = 16; bytes <= 16_384; bytes += 16) {
            for (int copy = 0; copy < 4; copy++) {
                ByteBuffer reused = ByteBuffer.allocateDirect(bytes);
                while (reused.hasRemaining()) {
                    reused.putFloat(Float.NaN);
                }
            }
        }
    }
}
