package io.hrmstream.worker.stream;

import io.hrmstream.puzzles.GridSymmetry;
import io.hrmstream.puzzles.PuzzleTask;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.SolveFuture;
import io.hrmstream.worker.engine.SolveRequest;
import io.hrmstream.worker.engine.SolveResult;
import org.apache.kafka.streams.errors.StreamsException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One stream task's views in the JVM-wide engine: at most {@code maxPending} of them at a time, and a queue that
 * hands their completions from the engine's thread back to the task's stream thread. A view is one puzzle run by
 * the engine: a request's puzzle as sent (view 0), or an augmented copy of it started by guess scaling.
 *
 * <p>{@link #submit} is the backpressure: when the task already has {@code maxPending} views in the engine it
 * blocks until the engine completes one of them (the engine's callback releases the permit), so the stream thread
 * stops taking records while the engine is behind. It gives up after {@code maxWait} with a
 * {@link StreamsException}: an engine that completes nothing for that long is stuck, and failing the stream thread
 * (the requests stay in the store) is better than hanging silently.
 *
 * <p>Escalation views ({@link #submitViews}) never block: they wait in a queue here and take free permits as they
 * come. Fairness: work already accepted comes first. A waiting escalation view takes the next free permit before a
 * new request does ({@link #submit} starts waiting views before it takes its own permit), so a request being
 * escalated is not starved by a flood of new ones, and the task's views in the engine never exceed
 * {@code maxPending}, escalations included.
 *
 * <p>Threads: everything but the engine callbacks runs on the task's stream thread.
 */
final class TaskSubmissions {

    /**
     * A request's view: 0 is the puzzle as sent; k >= 1 its k-th augmented copy under {@code symmetry}. An ARC
     * request voted over its task's copies ({@link ArcVoting}) has views 0..n-1, each under its copy's augmentation.
     */
    record View(int index, GridSymmetry symmetry) {
        static final View PLAIN = new View(0, null);
    }

    /** A view the engine is done with; handed to the stream thread. */
    sealed interface Completion permits Solved, Failed {
        PuzzleRequest request();

        View view();
    }

    /** @param accepted what the request's validation gave: its task, first view and views allowed */
    record Solved(PuzzleRequest request, RequestValidator.Accepted accepted, View view, SolveResult result)
            implements Completion {
        PuzzleTask task() {
            return accepted.task();
        }
    }

    /** The engine refused the view or failed on it. */
    record Failed(PuzzleRequest request, View view, Throwable cause) implements Completion {
    }

    /** An escalation view waiting for a permit. */
    private record Waiting(PuzzleRequest request, RequestValidator.Accepted accepted, View view,
                           SolveRequest solveRequest) {
    }

    private final EngineRoster engines;
    private final int maxPending;
    private final Duration maxWait;
    private final Semaphore permits;
    private final Queue<Completion> completed = new ConcurrentLinkedQueue<>();
    private final Queue<Waiting> waiting = new ArrayDeque<>();
    /** Running views by request id, so a race can be cancelled and its steps counted. Stream thread only. */
    private final Map<String, List<SolveFuture>> running = new HashMap<>();

    /** @param engines the worker's engines; a view goes to the one of its request's task */
    TaskSubmissions(final EngineRoster engines, final int maxPending, final Duration maxWait) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be >= 1, was " + maxPending);
        }
        this.engines = engines;
        this.maxPending = maxPending;
        this.maxWait = maxWait;
        this.permits = new Semaphore(maxPending);
    }

    /**
     * Hands a valid request to the engine as its first view; waiting escalation views are started first, and each
     * start waits for a free permit if the task has none left.
     */
    void submit(final PuzzleRequest request, final RequestValidator.Accepted accepted) {
        submit(request, accepted, View.PLAIN, accepted.solveRequest());
    }

    /** As {@link #submit(PuzzleRequest, RequestValidator.Accepted)}, for a request whose first view is another. */
    void submit(final PuzzleRequest request, final RequestValidator.Accepted accepted, final View view,
                final SolveRequest solveRequest) {
        while (!waiting.isEmpty()) {
            awaitPermit();
            start(waiting.poll());
        }
        awaitPermit();
        start(new Waiting(request, accepted, view, solveRequest));
    }

    /** Queues escalation views of a request and starts as many as there are free permits; never blocks. */
    void submitViews(final PuzzleRequest request, final RequestValidator.Accepted accepted, final List<View> views,
                     final List<SolveRequest> solveRequests) {
        for (int i = 0; i < views.size(); i++) {
            waiting.add(new Waiting(request, accepted, views.get(i), solveRequests.get(i)));
        }
        startWaitingViews();
    }

    /** Starts waiting escalation views while permits are free. Stream thread (the punctuator calls it). */
    void startWaitingViews() {
        while (!waiting.isEmpty() && permits.tryAcquire()) {
            start(waiting.poll());
        }
    }

    /**
     * Takes every view of a request out: waiting ones are dropped, running ones cancelled (the engine frees their
     * slots before its next step). Returns the ACT steps the cancelled views had run.
     */
    int cancel(final String requestId) {
        waiting.removeIf(w -> w.request().getId().equals(requestId));
        final List<SolveFuture> views = running.remove(requestId);
        int steps = 0;
        if (views != null) {
            for (final SolveFuture view : views) {
                if (view.cancel(false)) {
                    steps += view.stepsSoFar();
                }
            }
        }
        return steps;
    }

    /** Passes every completion queued so far to {@code action}, in completion order. Stream thread only. */
    void drainTo(final Consumer<Completion> action) {
        for (Completion c = completed.poll(); c != null; c = completed.poll()) {
            final List<SolveFuture> views = running.get(c.request().getId());
            if (views != null) {
                views.removeIf(SolveFuture::isDone);
                if (views.isEmpty()) running.remove(c.request().getId());
            }
            action.accept(c);
        }
    }

    /** This task's views submitted and not yet completed (escalation views waiting for a permit not counted). */
    int pending() {
        return maxPending - permits.availablePermits();
    }

    /** Escalation views waiting for a permit. */
    int waitingViews() {
        return waiting.size();
    }

    private void start(final Waiting view) {
        final SolveFuture future;
        try {
            final String task = view.accepted().task().name();
            future = engines.forTask(task)
                    .orElseThrow(() -> new IllegalStateException("no engine for " + task + " puzzles"))
                    .submit(view.solveRequest());
        } catch (final RuntimeException e) {
            completed.add(new Failed(view.request(), view.view(), e));
            permits.release();
            return;
        }
        running.computeIfAbsent(view.request().getId(), id -> new ArrayList<>(1)).add(future);
        future.whenComplete((result, error) -> {
            final Throwable cause = error == null ? null : unwrap(error);
            if (!(cause instanceof CancellationException)) {   // a cancelled view: nobody waits for it
                completed.add(cause == null
                        ? new Solved(view.request(), view.accepted(), view.view(), result)
                        : new Failed(view.request(), view.view(), cause));
            }
            permits.release();
        });
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
