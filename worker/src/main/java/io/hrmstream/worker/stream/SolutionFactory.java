package io.hrmstream.worker.stream;

import io.hrmstream.puzzles.PuzzleTask;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.worker.engine.ModelDescriptor;
import io.hrmstream.worker.engine.SolveResult;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Builds the PuzzleSolution for a request: every field of the contract, from the engine's result or a rejection. */
public final class SolutionFactory {

    private final String workerId;
    private final Optional<ModelDescriptor> model;

    public SolutionFactory(final String workerId, final Optional<ModelDescriptor> model) {
        this.workerId = workerId;
        this.model = model;
    }

    /** The answer the engine found, with the status the task's verifier gives it. */
    public PuzzleSolution solved(final PuzzleRequest request, final PuzzleTask task, final SolveResult result,
                                 final long nowMs) {
        final Grid answer = task.decode(result.tokens(), request.getGrid());
        return base(request, nowMs)
                .setStatus(task.verify(request.getGrid(), answer))
                .setSolution(answer)
                .setSteps(result.steps())
                .setMaxSteps(result.maxSteps())
                .setHaltedBy(result.haltedBy())
                .setHaltConfidence(result.haltConfidence())
                .setBatchSize(result.batchSize())
                .setQueuedMs(TimeUnit.NANOSECONDS.toMillis(result.queuedNanos()))
                .setInferenceMs(TimeUnit.NANOSECONDS.toMillis(result.inferenceNanos()))
                .build();
    }

    /**
     * A request that was not run: status REJECTED, no solution, 0 steps, halted by NONE; maxSteps is the cap it
     * would have run under (its own, else the model's, else 0).
     */
    public PuzzleSolution rejected(final PuzzleRequest request, final String error, final long nowMs) {
        final int maxSteps = request.getMaxSteps() != null ? request.getMaxSteps()
                : model.map(ModelDescriptor::haltMaxSteps).orElse(0);
        return base(request, nowMs)
                .setStatus(SolveStatus.REJECTED)
                .setSolution(null)
                .setSteps(0)
                .setMaxSteps(maxSteps)
                .setHaltedBy(HaltReason.NONE)
                .setHaltConfidence(0f)
                .setBatchSize(0)
                .setQueuedMs(0L)
                .setInferenceMs(0L)
                .setError(error)
                .build();
    }

    private PuzzleSolution.Builder base(final PuzzleRequest request, final long nowMs) {
        final Instant submittedAt = request.getSubmittedAtMs();
        return PuzzleSolution.newBuilder()
                .setRequestId(request.getId())
                .setTask(request.getTask())
                .setModel(model.map(ModelDescriptor::name).orElse(""))
                .setWorkerId(workerId)
                .setLatencyMs(submittedAt == null ? null : nowMs - submittedAt.toEpochMilli())
                .setError(null)
                .setAttributes(request.getAttributes());
    }
}
