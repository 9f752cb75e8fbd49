package io.hrmstream.worker.stream;

import io.hrmstream.puzzles.PuzzleTask;
import io.hrmstream.schemas.Grid;

/**
 * How many views of a puzzle the worker may race when its first answer fails the task's verifier.
 *
 * @param defaultSamples views for a request whose {@code samples} is null (1 = never escalate)
 * @param maxSamples     the most views a request may ask for; above it the request is REJECTED
 */
public record GuessScaling(int defaultSamples, int maxSamples) {

    /**
     * The default number of views: chosen from the accuracy-for-compute table in docs/BENCHMARKS.md ("Guess
     * scaling"): on the shipped model's domain few first answers fail, so the default costs little there, while a
     * failed answer gets several fresh chances.
     */
    public static final int DEFAULT_SAMPLES = 4;
    /** The ceiling a request may ask for: 16 views already solve most medium puzzles the model solves at all. */
    public static final int DEFAULT_MAX_SAMPLES = 16;

    public static GuessScaling defaults() {
        return new GuessScaling(DEFAULT_SAMPLES, DEFAULT_MAX_SAMPLES);
    }

    public GuessScaling {
        if (maxSamples < 1) throw new IllegalArgumentException("max samples must be >= 1, was " + maxSamples);
        if (defaultSamples < 1 || defaultSamples > maxSamples) {
            throw new IllegalArgumentException("samples must be in 1.." + maxSamples + ", was " + defaultSamples);
        }
    }

    /**
     * A request's views: its own {@code samples}, else the default, and never more than the puzzle has different
     * views (the puzzle as sent plus its task's distinct augmented views): a 7x7 maze asking for 16 runs 8.
     */
    int samplesFor(final Integer requested, final PuzzleTask task, final Grid grid) {
        final int wanted = requested == null ? defaultSamples : requested;
        final int distinct = task.symmetries().map(s -> s.distinctViews(grid)).orElse(0);
        return (int) Math.min(wanted, 1L + distinct);
    }

    /**
     * The seed of a request's views, from its id alone, so a replayed request (a restart, a rebalance) races the
     * same views. FNV-1a over the id's UTF-16 units: stable across JVMs and versions, unlike an identity hash.
     */
    static long seedOf(final String requestId) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < requestId.length(); i++) {
            hash ^= requestId.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
