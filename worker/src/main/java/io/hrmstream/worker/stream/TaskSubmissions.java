package io.hrmstream.worker.stream;

import io.hrmstream.puzzles.PuzzleTask;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.worker.engine.SolveResult;
import io.hrmstream.worker.engine.SolverEngine;
import org.apache.kafka.streams.errors.StreamsException;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One stream task's puzzles in the JVM-wide engine: at most {@code maxPending} of them at a time, and a queue
 * that hands their completions from the engine's thread back to the task's stream thread.
 *
 * <p>{@link #submit} is the backpressure: when the task already has {@code maxPending} puzzles in the engine
 * it blocks until the engine completes one of them (the engine's callback releases the permit), so the
 * stream thread stops taking records while the engine is behind. It gives up after {@code maxWait} with a
 * {@link StreamsException}: an engine that completes nothing for that long is stuck, and failing the stream
 * thread (the requests stay in the store) is better than hanging silently.
 */
final class TaskSubmissions {

    /** A puzzle the engine is done with; handed to the stream thread. */
    sealed interface Completion permits Solved, Failed {
        PuzzleRequest request();
    }

    record Solved(PuzzleRequest request, PuzzleTask task, SolveResult result) implements Completion {
    }

    /** The engine refused the puzzle or failed on it. */
    record Failed(PuzzleRequest request, Throwable cause) implements Completion {
    }

    private final SolverEngine engine;
    private final int maxPending;
    private final Duration maxWait;
    private final Semaphore permits;
    private final Queue<Completion> completed = new ConcurrentLinkedQueue<>();

    TaskSubmissions(final SolverEngine engine, final int maxPending, final Duration maxWait) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be >= 1, was " + maxPending);
        }
        this.engine = engine;
        this.maxPending = maxPending;
        this.maxWait = maxWait;
        this.permits = new Semaphore(maxPending);
    }

    /** Hands a valid request to the engine, first waiting for a free permit if the task has none left. */
    void submit(final PuzzleRequest request, final RequestValidator.Accepted accepted) {
        awaitPermit();
        final CompletableFuture<SolveResult> future;
        try {
            future = engine.submit(accepted.solveRequest());
        } catch (final RuntimeException e) {
            completed.add(new Failed(request, e));
            permits.release();
            return;
        }
        future.whenComplete((result, error) -> {
            completed.add(error == null
                    ? new Solved(request, accepted.task(), result)
                    : new Failed(request, unwrap(error)));
            permits.release();
        });
    }

    /** Passes every completion queued so far to {@code action}, in completion order. Stream thread only. */
    void drainTo(final Consumer<Completion> action) {
        for (Completion c = completed.poll(); c != null; c = completed.poll()) {
            action.accept(c);
        }
    }

    /** This task's puzzles submitted and not yet completed. */
    int pending() {
        return maxPending - permits.availablePermits();
    }

    private void awaitPermit() {
        try {
            if (!permits.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StreamsException("the solver engine completed none of this task's " + maxPending
                        + " pending puzzles within " + maxWait + "; stopping (they stay in flight and are"
                        + " resubmitted on restart)");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamsException("interrupted while waiting for the solver engine", e);
        }
    }

    private static Throwable unwrap(final Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
