package io.hrmstream.worker.engine;

/**
 * One ACT step of a traced puzzle, as the engine saw it: what the model would answer had it stopped here, and the
 * q logits the engine's halting read. The HRM paper's figures of intermediate steps, for one puzzle.
 *
 * @param step      1-based step number
 * @param tokens    argmax of this step's logits, one per input position
 * @param qHalt     this step's q_halt logit
 * @param qContinue this step's q_continue logit (NaN for models without a continue head)
 * @param halted    whether the engine's halting stopped the puzzle on these q logits at this step (false at a step
 *                  where only the step cap stopped it)
 */
public record TracedStep(int step, int[] tokens, float qHalt, float qContinue, boolean halted) {
}
