package io.hrmstream.tools.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyRecorderTest {

    @Test
    void percentilesOfOneToHundredAreTheValuesAtThoseRanks() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (long ms = 100; ms >= 1; ms--) {
            recorder.record(ms);
        }
        LatencySummary s = recorder.summary();
        assertEquals(100, s.count());
        assertEquals(1, s.min());
        assertEquals(50, s.p50());
        assertEquals(95, s.p95());
        assertEquals(99, s.p99());
        assertEquals(100, s.max());
        assertEquals(50.5, s.mean(), 1e-9);
    }

    @Test
    void aSingleSlowOutlierMovesOnlyTheTopPercentile() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 0; i < 99; i++) {
            recorder.record(10);
        }
        recorder.record(1_000);
        LatencySummary s = recorder.summary();
        assertEquals(10, s.p50());
        assertEquals(10, s.p95());
        assertEquals(10, s.p99());
        assertEquals(1_000, s.max());
    }

    @Test
    void negativeLatenciesFromSkewedClocksCountAsZero() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(-5);
        assertEquals(0, recorder.summary().max());
    }

    @Test
    void anEmptyRecorderSummarisesToEmpty() {
        assertEquals(LatencySummary.EMPTY, new LatencyRecorder().summary());
    }
}
