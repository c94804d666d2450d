package io.switchboard.bench.measure;

import io.switchboard.bench.BenchResult.Latency;
import org.HdrHistogram.Histogram;

/** Reads the reported percentiles out of a nanosecond histogram, in milliseconds. */
public final class Percentiles {

    /** Nanoseconds per millisecond. */
    private static final double NANOS_PER_MS = 1_000_000.0;

    private Percentiles() {}

    public static Latency of(Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return Latency.EMPTY;
        }
        return new Latency(
                histogram.getTotalCount(),
                ms(histogram.getMean()),
                ms((double) histogram.getValueAtPercentile(50)),
                ms((double) histogram.getValueAtPercentile(90)),
                ms((double) histogram.getValueAtPercentile(99)),
                ms((double) histogram.getValueAtPercentile(99.9)),
                ms((double) histogram.getValueAtPercentile(99.99)),
                ms((double) histogram.getMaxValue()));
    }

    static double ms(double nanos) {
        return Math.round(nanos / NANOS_PER_MS * 1000.0) / 1000.0;
    }
}
