package io.c2cstream.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schedule tables of method §10.3 (A = 1929 optimizer steps, 192 warm-up steps, peak 1e-4). */
class SchedulesTest {
    @ParameterizedTest(name = "T({0}) = {1}")
    @CsvSource({"0, 1.0", "1, 0.996425401", "10, 0.964823561", "100, 0.699002944", "192, 0.502805117",
        "500, 0.166876439", "1000, 0.0278477458", "1500, 0.00464713266", "1928, 0.00100358742", "1929, 0.001",
        "5000, 0.001"})
    void temperatureAnnealsExponentially(int step, double expected) {
        assertEquals(expected, Schedules.temperature(step, 1.0, 0.001, 1929), expected * 1e-8);
    }

    @ParameterizedTest(name = "lr({0}) = {1}")
    @CsvSource({"0, 0", "1, 5.2083e-7", "96, 5e-5", "192, 1e-4", "1000, 5.3483e-5", "1928, 5.757e-8", "1929, 0"})
    void learningRateWarmsUpThenDecaysLinearly(int step, double expected) {
        assertEquals(expected, Schedules.learningRate(step, 1e-4, 192, 1929), Math.max(expected * 1e-4, 1e-12));
    }
}
