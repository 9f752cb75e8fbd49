package io.hrmstream.worker.engine;

import io.hrmstream.schemas.HaltReason;

import java.util.List;

/**
 * A halted puzzle.
 *
 * @param tokens         argmax of the last step's logits, one per input position
 * @param steps          ACT steps the puzzle ran
 * @param maxSteps       the cap that applied: min(request maxSteps, model haltMaxSteps)
 * @param haltedBy       Q_HALT when the model chose to stop, MAX_STEPS when the cap stopped it
 * @param haltConfidence sigmoid(q_halt) at the last step
 * @param batchSize      occupied slots in the step where it halted
 * @param queuedNanos    from submit to the puzzle's first step
 * @param inferenceNanos from its first step to its completion
 * @param trace          every ACT step, first to last, for a {@link SolveRequest#traced() traced} request; empty
 *                       otherwise
 */
public record SolveResult(String requestId, int[] tokens, int steps, int maxSteps, HaltReason haltedBy,
                          float haltConfidence, int batchSize, long queuedNanos, long inferenceNanos,
                          List<TracedStep> trace) {

    public SolveResult {
        trace = List.copyOf(trace);
    }

    /** An untraced result. */
    public SolveResult(String requestId, int[] tokens, int steps, int maxSteps, HaltReason haltedBy,
                       float haltConfidence, int batchSize, long queuedNanos, long inferenceNanos) {
        this(requestId, tokens, steps, maxSteps, haltedBy, haltConfidence, batchSize, queuedNanos, inferenceNanos,
                List.of());
    }
}
