package io.c2cstream.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Mean and linearly interpolated percentiles (NumPy's default method). */
class LatencyStatsTest {

    @Test
    void evenCountInterpolatesBetweenNeighbours() {
        LatencyStats stats = LatencyStats.of(new double[] {4, 1, 3, 2});
        assertEquals(2.5, stats.mean(), 1e-12);
        assertEquals(2.5, stats.p50(), 1e-12);
        assertEquals(3.85, stats.p95(), 1e-12); // rank 0.95 * 3 = 2.85
    }

    @Test
    void oddCountHitsTheMiddleValue() {
        LatencyStats stats = LatencyStats.of(new double[] {10, 50, 20, 40, 30});
        assertEquals(30, stats.p50(), 1e-12);
        assertEquals(48, stats.p95(), 1e-12); // rank 3.8: 40 + 0.8 * 10
    }

    @Test
    void twentyOneValuesPutP95OnARank() {
        double[] values = new double[21];
        for (int i = 0; i < values.length; i++) {
            values[i] = 100 - i;
        }
        assertEquals(99, LatencyStats.of(values).p95(), 1e-12); // rank 19 of 0..20
    }

    @Test
    void oneValueIsEveryStatistic() {
        assertEquals(new LatencyStats(7, 7, 7), LatencyStats.of(new double[] {7}));
    }

    @Test
    void noValuesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.of(new double[0]));
    }
}
