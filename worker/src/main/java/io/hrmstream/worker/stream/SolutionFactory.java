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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Builds the PuzzleSolution for a request: every field of the contract, from the engine's result or a rejection. */
public final class SolutionFactory {

    private final String workerId;
    private final Map<String, ModelDescriptor> models;

    /** @param models the served models by task: a solution names the model of its request's task */
    public SolutionFactory(final String workerId, final Map<String, ModelDescriptor> models) {
        this.workerId = workerId;
        this.models = Map.copyOf(models);
    }

    /** The answer the engine found for the puzzle as sent, with the status the task's verifier gives it. */
    public PuzzleSolution solved(final PuzzleRequest request, final PuzzleTask task, final SolveResult result,
                                 final long nowMs) {
        return solved(request, task, result, task.decode(result.tokens(), request.getGrid()), nowMs);
    }

    /**
     * The answer a view found, already mapped back to the puzzle as sent ({@code answer}), with the status the
     * task's verifier gives it; one view started, its steps the compute spent.
     */
    public PuzzleSolution solved(final PuzzleRequest request, final PuzzleTask task, final SolveResult result,
                                 final Grid answer, final long nowMs) {
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
                .setSamples(1)
                .setComputeSteps(result.steps())
                .build();
    }

    /**
     * A request that was not run: status REJECTED, no solution, 0 steps, no views, halted by NONE; maxSteps is the
     * cap it would have run under (its own, else the model's, else 0).
     */
    public PuzzleSolution rejected(final PuzzleRequest request, final String error, final long nowMs) {
        final int maxSteps = request.getMaxSteps() != null ? request.getMaxSteps()
                : modelOf(request).map(ModelDescriptor::haltMaxSteps).orElse(0);
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
                .setSamples(0)
                .setComputeSteps(0)
                .build();
    }

    /**
     * A request the model ran but gave no usable answer for (non-finite output): status INVALID, no solution, the
     * reason in {@code error}.
     */
    public PuzzleSolution failed(final PuzzleRequest request, final String error, final long nowMs) {
        final PuzzleSolution solution = rejected(request, error, nowMs);
        solution.setStatus(SolveStatus.INVALID);
        solution.setSamples(1);
        return solution;
    }

    /** {@code solution} as sent now: its latency measured to {@code nowMs} (an answer chosen after a race). */
    public PuzzleSolution sentAt(final PuzzleRequest request, final PuzzleSolution solution, final long nowMs) {
        solution.setLatencyMs(latency(request, nowMs));
        return solution;
    }

    private PuzzleSolution.Builder base(final PuzzleRequest request, final long nowMs) {
        // cut to the limits: a request rejected for an oversized id or task must still get an answer that fits
        return PuzzleSolution.newBuilder()
                .setRequestId(RequestLimits.cut(request.getId(), RequestLimits.MAX_ID_CHARS))
                .setTask(RequestLimits.cut(request.getTask(), RequestLimits.MAX_TASK_CHARS))
                .setModel(modelOf(request).map(ModelDescriptor::name).orElse(""))
                .setWorkerId(workerId)
                .setLatencyMs(latency(request, nowMs))
                .setError(null)
                .setAttributes(RequestLimits.echoable(request));
    }

    private Optional<ModelDescriptor> modelOf(final PuzzleRequest request) {
        return Optional.ofNullable(models.get(request.getTask()));
    }

    /** The longest end-to-end latency reported; a submittedAtMs further back is a client's clock, not a latency. */
    static final long MAX_LATENCY_MS = TimeUnit.DAYS.toMillis(365);

    /** now - submittedAtMs, or null without a submission time, or when it is in the future or absurdly old. */
    private static Long latency(final PuzzleRequest request, final long nowMs) {
        final Instant submittedAt = request.getSubmittedAtMs();
        if (submittedAt == null) return null;
        final long submittedMs;
        try {
            submittedMs = submittedAt.toEpochMilli();
        } catch (final ArithmeticException e) {
            return null;   // beyond the range of epoch milliseconds
        }
        if (submittedMs > nowMs) return null;
        final long latency = nowMs - submittedMs;   // both in range and submittedMs <= nowMs: no overflow unless...
        return latency < 0 || latency > MAX_LATENCY_MS ? null : latency;   // ...the difference wraps, caught here
    }
}
