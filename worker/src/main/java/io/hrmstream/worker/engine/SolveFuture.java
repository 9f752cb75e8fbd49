package io.hrmstream.worker.engine;

import java.util.concurrent.CompletableFuture;

/**
 * A puzzle in a {@link SolverEngine}: completes with its {@link SolveResult} when it halts, and reports the ACT
 * steps it has run so far while it runs. {@link #cancel} takes a puzzle that is no longer needed (a guess-scaling
 * view that lost the race) out of the engine: a queued one is never loaded, a running one leaves its slot before
 * the engine's next step, so the slot is refilled at once.
 */
public class SolveFuture extends CompletableFuture<SolveResult> {

    private volatile int stepsSoFar;

    /** A future failed at once (a request the engine refuses, or an engine that is closed). */
    public static SolveFuture failed(Throwable cause) {
        SolveFuture future = new SolveFuture();
        future.completeExceptionally(cause);
        return future;
    }

    /** ACT steps the puzzle has run so far (its final count once it completes); a cancelled puzzle keeps its count. */
    public int stepsSoFar() {
        return stepsSoFar;
    }

    /** Called by the engine after each step the puzzle took part in. */
    public void stepped(int steps) {
        this.stepsSoFar = steps;
    }

    /** Dependent stages are plain futures: only the engine's own future carries step counts. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
