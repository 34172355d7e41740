package io.c2cstream.engine.eval;

import java.util.Arrays;

/**
 * Mean and percentiles of per-item latencies in milliseconds.
 *
 * <p>Percentiles interpolate linearly between the two nearest ranks, as NumPy's default does: over the
 * {@code n} sorted values the p-th percentile sits at rank {@code p/100 * (n - 1)} counted from 0, so p50 of an
 * even count is the mean of the middle two, and p95 of {@code [1, 2, 3, 4]} is {@code 3 + 0.85 * (4 - 3)}.
 */
public record LatencyStats(double mean, double p50, double p95) {

    /** @throws IllegalArgumentException for no latencies */
    public static LatencyStats of(double[] latenciesMs) {
        if (latenciesMs.length == 0) {
            throw new IllegalArgumentException("latency statistics need at least one item");
        }
        double[] sorted = latenciesMs.clone();
        Arrays.sort(sorted);
        return new LatencyStats(Arrays.stream(sorted).average().orElseThrow(), percentile(sorted, 50),
                percentile(sorted, 95));
    }

    /** The {@code p}-th percentile (0-100) of ascending {@code sorted} values, interpolated linearly. */
    static double percentile(double[] sorted, double p) {
        double rank = p / 100 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = (int) Math.ceil(rank);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }
}
