package io.c2cstream.operators;

import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/** The receiver stage's metrics (docs/operations.md lists them): latencies in ms, KV bytes, fallbacks, load. */
final class ReceiverMetrics {
    private static final int WINDOW = 1000;

    final Histogram ttftMs;
    final Histogram tpotMs;
    final Histogram receiverPrefillMs;
    final Histogram transferMs;
    final Histogram fuseMs;
    final Histogram decodeMs;
    final Histogram kvBytesPerRequest;
    final Histogram kvBytesPerToken;
    final Counter responses;
    final Counter fallbacks;
    final Counter deadLetters;
    final Counter lateMessages;

    ReceiverMetrics(MetricGroup group, LongSupplier inFlightRequests, LongSupplier inFlightKvBytes) {
        ttftMs = histogram(group, "ttftMs");
        tpotMs = histogram(group, "tpotMs");
        receiverPrefillMs = histogram(group, "receiverPrefillMs");
        transferMs = histogram(group, "transferMs");
        fuseMs = histogram(group, "fuseMs");
        decodeMs = histogram(group, "decodeMs");
        kvBytesPerRequest = histogram(group, "kvBytesPerRequest");
        kvBytesPerToken = histogram(group, "kvBytesPerToken");
        responses = group.counter("responses");
        fallbacks = group.counter("fallbacks");
        deadLetters = group.counter("deadLetters");
        lateMessages = group.counter("lateSharerMessages");
        group.gauge("inFlightRequests", (Gauge<Long>) inFlightRequests::getAsLong);
        group.gauge("inFlightKvBytes", (Gauge<Long>) inFlightKvBytes::getAsLong);
    }

    private static Histogram histogram(MetricGroup group, String name) {
        return group.histogram(name, new DescriptiveStatisticsHistogram(WINDOW));
    }
}
