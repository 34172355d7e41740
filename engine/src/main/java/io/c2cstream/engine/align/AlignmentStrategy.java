package io.c2cstream.engine.align;

import java.util.Locale;

/**
 * How {@link TokenAligner} picks one sharer token when a receiver token's text encodes to several
 * (method §3.1). Checkpoints name it in {@code alignment_strategy}; the reference evaluates with
 * {@code longest}.
 */
public enum AlignmentStrategy {

    /** The first sharer token. */
    FIRST,

    /** The sharer token whose decoded text has the most code points; the earliest among equals. */
    LONGEST;

    /**
     * The strategy a config spells {@code "first"} or {@code "longest"} (any case).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static AlignmentStrategy parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "first" -> FIRST;
            case "longest" -> LONGEST;
            default -> throw new IllegalArgumentException(
                    "unknown alignment strategy \"" + name + "\": use \"first\" or \"longest\"");
        };
    }
}
