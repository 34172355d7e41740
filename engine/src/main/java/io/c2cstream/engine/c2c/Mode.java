package io.c2cstream.engine.c2c;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a request is answered; every mode runs through the same code so that comparisons are like for like. */
public enum Mode {
    /** The receiver alone. */
    RECEIVER_ONLY,
    /** The sharer alone, through its own chat template. */
    SHARER_ONLY,
    /** Text-to-text: the sharer writes background text, the receiver reads it (method §6.4). */
    T2T,
    /** Cache-to-cache: the sharer's KV cache fused into the receiver's (method §4). */
    C2C;

    /** The wire and CLI name: {@code receiver_only}, {@code sharer_only}, {@code t2t}, {@code c2c}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean needsSharer() {
        return this != RECEIVER_ONLY;
    }

    public static Mode fromWireName(String name) {
        for (Mode m : values()) {
            if (m.wireName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode \"" + name + "\"; modes are "
                + Arrays.stream(values()).map(Mode::wireName).collect(Collectors.joining(", ")));
    }
}
