package io.hrmstream.worker.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Scheduling settings of a {@link ContinuousBatchingEngine}. The batch capacity is the {@link SlotBatch}'s.
 *
 * @param mode    how puzzles are scheduled onto slots; {@link BatchingMode#ACT} in production
 * @param maxWait when no slot is running, how long the engine waits for the batch to fill before it steps
 *                with fewer puzzles; zero steps at once with whatever is queued
 */
public record EngineConfig(BatchingMode mode, Duration maxWait) {

    /** Long enough to gather a burst of requests, short against one ACT step (tens to hundreds of ms on CPU). */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(5);

    public EngineConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) throw new IllegalArgumentException("maxWait must be >= 0, was " + maxWait);
    }

    public static EngineConfig defaults() {
        return new EngineConfig(BatchingMode.ACT, DEFAULT_MAX_WAIT);
    }

    public EngineConfig withMode(BatchingMode newMode) {
        return new EngineConfig(newMode, maxWait);
    }

    public EngineConfig withMaxWait(Duration newMaxWait) {
        return new EngineConfig(mode, newMaxWait);
    }
}
