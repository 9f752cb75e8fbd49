package io.hrmstream.tools.publish;

import io.github.bucket4j.BlockingBucket;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;

/**
 * Holds publishing to a {@link SendRate} with a Bucket4j token bucket. The bucket starts empty and holds at most
 * 100 ms worth of tokens (at least one): requests leave spread over the second instead of in one burst, and a
 * sender that oversleeps on a busy machine catches up instead of losing the rate. An unlimited rate never waits.
 * Clock and sleeping are injectable so the pacing can be checked without real time.
 */
public final class RatePacer {

    /** Burst size as a fraction of the per-period permits: 100 ms of a one-second period. */
    private static final long BURST_DIVISOR = 10;

    private final BlockingBucket bucket;
    private final BlockingStrategy sleeper;

    private RatePacer(BlockingBucket bucket, BlockingStrategy sleeper) {
        this.bucket = bucket;
        this.sleeper = sleeper;
    }

    public static RatePacer of(SendRate rate) {
        return of(rate, TimeMeter.SYSTEM_NANOTIME, BlockingStrategy.PARKING);
    }

    public static RatePacer of(SendRate rate, TimeMeter clock, BlockingStrategy sleeper) {
        if (rate.unlimited()) {
            return new RatePacer(null, sleeper);
        }
        long burst = Math.max(1L, rate.permits() / BURST_DIVISOR);
        Bucket bucket = Bucket.builder()
                .addLimit(limit -> limit.capacity(burst)
                        .refillGreedy(rate.permits(), rate.period())
                        .initialTokens(0))
                .withCustomTimePrecision(clock)
                .build();
        return new RatePacer(bucket.asBlocking(), sleeper);
    }

    /** Waits until the next request may be sent. */
    public void acquire() throws InterruptedException {
        if (bucket != null) {
            bucket.consume(1, sleeper);
        }
    }
}
