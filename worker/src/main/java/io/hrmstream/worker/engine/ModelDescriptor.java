package io.hrmstream.worker.engine;


import io.hrmstream.worker.model.HaltRule;

/**
 * What a loaded model is and accepts.
 *
 * @param name                 model name, reported in every solution
 * @param task                 the task its vocabulary encodes (sudoku, maze, arc)
 * @param architecture         hrm_act_v1 or trm
 * @param seqLen               input tokens per puzzle (without the puzzle-embedding prefix)
 * @param vocabSize            token vocabulary size
 * @param numPuzzleIdentifiers rows of the puzzle-embedding table (puzzleId must be below it)
 * @param haltMaxSteps         the ACT step limit the model was trained with ({@code halt_max_steps})
 * @param haltRule             how the model's q logits decide halting
 * @param device               where it runs, e.g. cpu() or gpu(0)
 * @param defaultMaxSteps      the step cap of a request that sets no {@code maxSteps}: its engine's
 *                             {@link SolverEngine#stepCeiling()}, which may pass {@code haltMaxSteps}
 */
public record ModelDescriptor(String name, String task, String architecture, int seqLen, int vocabSize,
                              int numPuzzleIdentifiers, int haltMaxSteps, HaltRule haltRule, String device,
                              int defaultMaxSteps) {

    /** A model as loaded, before an engine serves it: requests get the steps it was trained with. */
    public ModelDescriptor(final String name, final String task, final String architecture, final int seqLen,
                           final int vocabSize, final int numPuzzleIdentifiers, final int haltMaxSteps,
                           final HaltRule haltRule, final String device) {
        this(name, task, architecture, seqLen, vocabSize, numPuzzleIdentifiers, haltMaxSteps, haltRule, device,
                haltMaxSteps);
    }

    /** This model served with {@code steps} for a request that sets none. */
    public ModelDescriptor withDefaultMaxSteps(final int steps) {
        return new ModelDescriptor(name, task, architecture, seqLen, vocabSize, numPuzzleIdentifiers, haltMaxSteps,
                haltRule, device, steps);
    }
}
