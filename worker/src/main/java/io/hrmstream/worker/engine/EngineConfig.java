package io.hrmstream.worker.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Scheduling settings of a {@link ContinuousBatchingEngine}. The batch capacity is the {@link SlotBatch}'s.
 *
 * @param mode    how puzzles are scheduled onto slots; {@link BatchingMode#ACT} in production
 * @param maxWait when no slot is running, how long the engine waits for the batch to fill before it steps
 *                with fewer puzzles; zero steps at once with whatever is queued
 * @param halting when a puzzle stops before its cap (the modes that honour halting at all: ACT, STATIC)
 * @param maxStepsCeiling the largest step cap a request may have; 0 = the model's halt_max_steps. Above it, a
 *                request's maxSteps is cut to it (the solution reports the cap applied)
 */
public record EngineConfig(BatchingMode mode, Duration maxWait, Halting halting, int maxStepsCeiling) {

    /** Long enough to gather a burst of requests, short against one ACT step (tens to hundreds of ms on CPU). */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(5);

    public EngineConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) throw new IllegalArgumentException("maxWait must be >= 0, was " + maxWait);
        Objects.requireNonNull(halting, "halting");
        if (maxStepsCeiling < 0) throw new IllegalArgumentException("maxStepsCeiling must be >= 0, was " + maxStepsCeiling);
    }

    /** The model's own halting and step cap. */
    public EngineConfig(BatchingMode mode, Duration maxWait) {
        this(mode, maxWait, Halting.ACT, 0);
    }

    public static EngineConfig defaults() {
        return new EngineConfig(BatchingMode.ACT, DEFAULT_MAX_WAIT);
    }

    public EngineConfig withMode(BatchingMode newMode) {
        return new EngineConfig(newMode, maxWait, halting, maxStepsCeiling);
    }

    public EngineConfig withMaxWait(Duration newMaxWait) {
        return new EngineConfig(mode, newMaxWait, halting, maxStepsCeiling);
    }

    public EngineConfig withHalting(Halting newHalting, int newMaxStepsCeiling) {
        return new EngineConfig(mode, maxWait, newHalting, newMaxStepsCeiling);
    }
}
