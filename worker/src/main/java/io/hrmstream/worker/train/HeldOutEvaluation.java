package io.hrmstream.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.hrmstream.worker.model.HaltRule;
import io.hrmstream.worker.model.InnerCarry;
import io.hrmstream.worker.model.InnerOutput;
import io.hrmstream.worker.model.ReasoningModel;

import java.util.List;

/**
 * The trainer's periodic check on held-out puzzles, as the official evaluation runs it: every puzzle for
 * halt_max_steps steps; from the same trajectory it also reads the ACT answer (the first step whose Q head says
 * halt: q_halt > q_continue, TRM q_halt > 0). Rows do not influence each other here, so this equals stopping there.
 * The full report with the serving engine is the {@code eval} command.
 */
public final class HeldOutEvaluation {

    /**
     * @param fixedExact exact accuracy after halt_max_steps
     * @param fixedCells per-cell accuracy after halt_max_steps
     * @param actExact   exact accuracy at the ACT halting step
     * @param actSteps   mean ACT steps
     * @param puzzles    puzzles evaluated
     */
    public record Result(double fixedExact, double fixedCells, double actExact, double actSteps, int puzzles) {
    }

    private HeldOutEvaluation() {
    }

    public static Result run(ReasoningModel model, List<TrainingExample> puzzles, int batchSize) {
        int maxSteps = model.config().haltMaxSteps();
        HaltRule haltRule = model.config().haltRule();   // the one rule serving and training use too
        int seqLen = model.config().seqLen();
        double fixedExact = 0, fixedCells = 0, actExact = 0, actSteps = 0;
        for (int from = 0; from < puzzles.size(); from += batchSize) {
            List<TrainingExample> chunk = puzzles.subList(from, Math.min(puzzles.size(), from + batchSize));
            int n = chunk.size();
            int[][] labels = chunk.stream().map(TrainingExample::labels).toArray(int[][]::new);
            int[] flat = new int[n * seqLen];
            for (int b = 0; b < n; b++) System.arraycopy(chunk.get(b).inputs(), 0, flat, b * seqLen, seqLen);
            int[] puzzleIdentifiers = chunk.stream().mapToInt(TrainingExample::puzzleIdentifier).toArray();
            int[] haltStep = new int[n];
            boolean[] actRight = new boolean[n];
            try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
                scope.suppressNotUsedWarning();
                NDArray tokens = m.create(flat, new Shape(n, seqLen));
                NDArray ids = m.create(puzzleIdentifiers);                                      // [B] int32
                InnerCarry carry = model.initialCarry(n);
                RowScores last = null;
                for (int step = 1; step <= maxSteps; step++) {
                    InnerOutput out = model.forward(carry, tokens, ids);
                    carry = out.carry();
                    int[] predicted = out.logits().argMax(-1).toType(DataType.INT32, false).toIntArray();
                    float[] qHalt = out.qHalt().toFloatArray();
                    float[] qContinue = out.qContinue().toFloatArray();
                    last = RowScores.of(predicted, labels, seqLen);
                    for (int b = 0; b < n; b++) {
                        boolean halts = step == maxSteps || haltRule.halts(qHalt[b], qContinue[b]);
                        if (haltStep[b] == 0 && halts) {
                            haltStep[b] = step;
                            actRight[b] = last.correct(b);
                        }
                    }
                }
                for (int b = 0; b < n; b++) {
                    fixedExact += last.correct(b) ? 1 : 0;
                    fixedCells += (double) last.right()[b] / Math.max(1, last.labelled()[b]);
                    actExact += actRight[b] ? 1 : 0;
                    actSteps += haltStep[b];
                }
            }
        }
        int total = puzzles.size();
        return new Result(fixedExact / total, fixedCells / total, actExact / total, actSteps / total, total);
    }
}
