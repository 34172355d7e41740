package io.c2cstream.engine.zoo;

import java.util.Random;

/**
 * Independent random streams derived from the zoo's one seed, one per purpose, so that changing how one corpus
 * is drawn leaves the world and every other corpus as they were.
 */
final class Seeds {

    private Seeds() {}

    /** A generator for {@code purpose}; {@link Random} and {@link String#hashCode} are specified, so it is stable. */
    static Random random(long seed, String purpose) {
        return new Random(mix(seed * 0x9E3779B97F4A7C15L + purpose.hashCode()));
    }

    /** SplitMix64's finaliser: nearby seeds give unrelated streams. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
