package io.hrmstream.tools.report;

/**
 * Percentiles of one latency distribution, in milliseconds. {@code count == 0} means nothing was recorded and every
 * other field is 0.
 */
public record LatencySummary(long count, long min, long p50, long p95, long p99, long max, double mean) {

    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0.0);
}
