package io.hrmstream.tools.publish;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pacing on a virtual clock: sleeping advances it, so the schedule is checked without real time. */
class RatePacerTest {

    /** A clock that only moves when the pacer sleeps. */
    private static final class VirtualTime implements TimeMeter, BlockingStrategy {
        long nanos;
        final List<Long> sleeps = new ArrayList<>();

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        @Override
        public void park(long nanosToPark) {
            sleeps.add(nanosToPark);
            nanos += nanosToPark;
        }
    }

    /** Acquires {@code n} permits and returns the virtual time at which each was granted. */
    private static List<Long> grantTimes(RatePacer pacer, VirtualTime time, int n) throws InterruptedException {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pacer.acquire();
            times.add(time.nanos);
        }
        return times;
    }

    @Test
    void tenPerSecondSpacesRequestsOneTenthOfASecondApart() throws InterruptedException {
        VirtualTime time = new VirtualTime();
        RatePacer pacer = RatePacer.of(SendRate.parse("10/s"), time, time);
        List<Long> times = grantTimes(pacer, time, 20);
        long tenth = TimeUnit.MILLISECONDS.toNanos(100);
        for (int i = 0; i < times.size(); i++) {
            assertEquals((i + 1) * tenth, times.get(i), "request " + i);
        }
    }

    @Test
    void theBucketStartsEmptySoTheFirstSecondIsNotABurst() throws InterruptedException {
        VirtualTime time = new VirtualTime();
        RatePacer pacer = RatePacer.of(SendRate.parse("1000/s"), time, time);
        List<Long> times = grantTimes(pacer, time, 1000);
        assertEquals(TimeUnit.SECONDS.toNanos(1), times.get(999), "1000 permits at 1000/s take one second");
        assertTrue(times.get(0) > 0, "even the first request waits for its token");
    }

    @Test
    void burstsAreAtMostAHundredMillisecondsWorthOfRequests() throws InterruptedException {
        VirtualTime time = new VirtualTime();
        RatePacer pacer = RatePacer.of(SendRate.parse("10000/s"), time, time);
        grantTimes(pacer, time, 5);
        time.nanos += TimeUnit.SECONDS.toNanos(5); // idle for a long time: the bucket fills only to its capacity
        int sleepsBefore = time.sleeps.size();
        List<Long> times = grantTimes(pacer, time, 3000);
        long sentWithoutWaiting = times.stream().filter(t -> t.equals(times.get(0))).count();
        assertEquals(1000, sentWithoutWaiting, "capacity = 10000/s / 10 = 1000 requests");
        assertTrue(time.sleeps.size() > sleepsBefore);
    }

    @Test
    void perMinuteRatesSpreadOverTheMinute() throws InterruptedException {
        VirtualTime time = new VirtualTime();
        RatePacer pacer = RatePacer.of(SendRate.parse("120/m"), time, time);
        List<Long> times = grantTimes(pacer, time, 3);
        assertEquals(List.of(500L, 1000L, 1500L),
                times.stream().map(TimeUnit.NANOSECONDS::toMillis).toList());
    }

    @Test
    void anUnlimitedRateNeverSleeps() throws InterruptedException {
        VirtualTime time = new VirtualTime();
        RatePacer pacer = RatePacer.of(SendRate.UNLIMITED, time, time);
        grantTimes(pacer, time, 10_000);
        assertEquals(List.of(), time.sleeps);
        assertEquals(Duration.ZERO, Duration.ofNanos(time.nanos));
    }
}
