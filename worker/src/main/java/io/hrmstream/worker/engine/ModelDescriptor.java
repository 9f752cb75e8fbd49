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
 * @param haltMaxSteps         the model's ACT step limit
 * @param haltRule             how the model's q logits decide halting
 * @param device               where it runs, e.g. cpu() or gpu(0)
 */
public record ModelDescriptor(String name, String task, String architecture, int seqLen, int vocabSize,
                              int numPuzzleIdentifiers, int haltMaxSteps, HaltRule haltRule, String device) {
}
