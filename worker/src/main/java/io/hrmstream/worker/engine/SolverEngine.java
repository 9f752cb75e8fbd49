package io.hrmstream.worker.engine;

/**
 * Solves puzzles asynchronously. One engine per model and device, shared by every stream task and
 * stream thread of the JVM: {@link #submit} is thread-safe and never blocks on inference.
 */
public interface SolverEngine extends AutoCloseable {

    /** What the engine's model accepts; the worker validates requests against it before submitting. */
    ModelDescriptor model();

    /**
     * Queues a puzzle. The future completes when the puzzle halts, or exceptionally if the engine fails or
     * closes first. Implementations complete it off their inference thread (and say on which), so stages
     * chained on it cannot stall inference. Cancelling the future takes the puzzle out of the engine before its
     * next step.
     */
    SolveFuture submit(SolveRequest request);

    /** The largest step cap a puzzle may run under; by default the model's {@code halt_max_steps}. */
    default int stepCeiling() {
        return model().haltMaxSteps();
    }

    /** Puzzles accepted and not yet completed (queued plus in slots). */
    int pending();

    /** Stops the inference thread; puzzles not yet completed fail with {@link EngineClosedException}. */
    @Override
    void close();
}
