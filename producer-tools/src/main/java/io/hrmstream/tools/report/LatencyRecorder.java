package io.hrmstream.tools.report;

import org.HdrHistogram.Histogram;

/**
 * Records latencies in milliseconds and summarises them as percentiles. HdrHistogram keeps 3 significant digits, so
 * values up to 2,047 ms are exact and larger ones are within 0.1%. A percentile is the smallest recorded value that
 * at least that share of the values do not exceed (p50 of 1..100 is 50).
 */
public final class LatencyRecorder {

    private static final int SIGNIFICANT_DIGITS = 3;

    private final Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);

    /** Records one latency; a negative value (clocks of two machines apart) counts as 0. */
    public void record(long millis) {
        histogram.recordValue(Math.max(0L, millis));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public LatencySummary summary() {
        if (histogram.getTotalCount() == 0) {
            return LatencySummary.EMPTY;
        }
        return new LatencySummary(
                histogram.getTotalCount(),
                histogram.getMinValue(),
                histogram.getValueAtPercentile(50.0),
                histogram.getValueAtPercentile(95.0),
                histogram.getValueAtPercentile(99.0),
                histogram.getMaxValue(),
                histogram.getMean());
    }
}
