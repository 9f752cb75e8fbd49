package io.hrmstream.worker.train;

import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.ModelConfig;
import io.hrmstream.worker.model.ReasoningModel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActTrainerTest {

    /** Puzzle k is k+1 in every input cell, so a row shows which puzzle it holds. */
    private static ExampleSource numberedPuzzles() {
        int[] counter = {0};
        return () -> {
            int k = ++counter[0];
            int[] inputs = new int[4];
            Arrays.fill(inputs, 1 + k % 10);
            return new TrainingExample(inputs, new int[] {2, 3, 4, 5}, k);
        };
    }

    private static ReasoningModel tinyModel(int haltMaxSteps) {
        return ReasoningModel.randomlyInitialised(ModelConfig.builder(Architecture.HRM_ACT_V1)
                .seq_len(4).vocab_size(11).num_puzzle_identifiers(1).hidden_size(16).num_heads(1)
                .H_layers(1).L_layers(1).H_cycles(1).L_cycles(1).halt_max_steps(haltMaxSteps)
                .halt_exploration_prob(0).build(), 3, ComputeDevice.cpu());
    }

    @Test
    void onlyHaltedRowsTakeNewPuzzlesAndRestartTheirStepCount() {
        try (ReasoningModel model = tinyModel(2);
             AdamW adam = new AdamW(model.manager(), 0.9, 0.95, 1e-8, 0.1);
             ActTrainer trainer = new ActTrainer(model, numberedPuzzles(), adam,
                     new LrSchedule(LrSchedule.Kind.COSINE, 1e-4, 0, 10, 0.1, 0), 3, 1)) {
            assertArrayEquals(new boolean[] {true, true, true}, trainer.halted(), "initial carry: all halted");

            trainer.step(0);   // loads puzzles 1..3; the untrained Q head (bias -5, -5) does not halt early
            int[] firstRow = trainer.rowInputs(0);
            assertArrayEquals(new int[] {1, 1, 1}, trainer.steps());
            assertArrayEquals(new boolean[] {false, false, false}, trainer.halted());

            trainer.step(1);   // same puzzles, step 2 = halt_max_steps: all halt
            assertEquals(firstRow, trainer.rowInputs(0), "a running row keeps its puzzle");
            assertArrayEquals(new int[] {2, 2, 2}, trainer.steps());
            assertArrayEquals(new boolean[] {true, true, true}, trainer.halted());

            trainer.step(2);   // halted rows take puzzles 4..6 and count from 1 again
            assertNotEquals(firstRow[0], trainer.rowInputs(0)[0]);
            assertArrayEquals(new int[] {5, 5, 5, 5}, trainer.rowInputs(0));
            assertArrayEquals(new int[] {1, 1, 1}, trainer.steps());
        }
    }

    @Test
    void refillLeavesRunningRowsAlone() {
        try (ReasoningModel model = tinyModel(4);
             AdamW adam = new AdamW(model.manager(), 0.9, 0.95, 1e-8, 0.1);
             ActTrainer trainer = new ActTrainer(model, numberedPuzzles(), adam,
                     new LrSchedule(LrSchedule.Kind.COSINE, 1e-4, 0, 10, 0.1, 0), 2, 1)) {
            boolean[] reset = trainer.refillHaltedRows();
            assertArrayEquals(new boolean[] {true, true}, reset);
            assertFalse(trainer.refillHaltedRows()[0], "no row halted since: nothing is refilled");
            assertTrue(Arrays.equals(new int[] {2, 2, 2, 2}, trainer.rowInputs(0)));
        }
    }
}
