package io.c2cstream.operators;

import ai.djl.Device;
import java.util.HashMap;
import java.util.Map;

/**
 * One loaded copy of each configured pair per JVM and device (architecture: "one model copy per JVM and device"):
 * the sharer and receiver operators of a TaskManager borrow the same models. Reference-counted: the last
 * {@link #release} frees the native memory at once.
 */
public final class ModelRegistry {
    private static final Map<String, Entry> PAIRS = new HashMap<>();

    private record Entry(LoadedPair pair, int users) {}

    private ModelRegistry() {}

    /** The pair of {@code config} on {@code device}, loaded on first use. */
    public static synchronized LoadedPair acquire(C2cJobConfig config, Device device) {
        String key = config.receiver() + "|" + config.sharer() + "|" + config.fuser() + "|" + device;
        Entry e = PAIRS.get(key);
        if (e == null) {
            e = new Entry(LoadedPair.load(key, config, device), 0);
        }
        PAIRS.put(key, new Entry(e.pair(), e.users() + 1));
        return e.pair();
    }

    /** Gives a pair back; frees it when no operator uses it any more. */
    public static synchronized void release(LoadedPair pair) {
        Entry e = PAIRS.get(pair.key());
        if (e == null) {
            return;
        }
        if (e.users() == 1) {
            PAIRS.remove(pair.key());
            pair.close();
        } else {
            PAIRS.put(pair.key(), new Entry(pair, e.users() - 1));
        }
    }

    /** Pairs currently loaded (for tests and metrics). */
    static synchronized int loadedPairs() {
        return PAIRS.size();
    }
}
