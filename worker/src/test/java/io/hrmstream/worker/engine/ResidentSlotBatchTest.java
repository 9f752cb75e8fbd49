package io.hrmstream.worker.engine;

import ai.djl.ndarray.NDManager;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.engine.ResidentSlotBatch;
import io.hrmstream.worker.engine.SlotBatch.StepOutput;
import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.GoldenCase;
import io.hrmstream.worker.model.HaltRule;
import io.hrmstream.worker.model.ModelConfig;
import io.hrmstream.worker.model.ReasoningModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Random;
import java.util.stream.IntStream;

import static io.hrmstream.worker.model.GoldenCase.argmax;
import static io.hrmstream.worker.model.GoldenCase.assertClose;
import static io.hrmstream.worker.model.GoldenCase.clearWinner;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResidentSlotBatchTest {

    @Test
    void steppingSomeSlotsReproducesTheOfficialActStepsForThosePuzzles() throws IOException {
        for (String caseName : new String[] {"hrm-rope", "trm-att"}) {
            GoldenCase golden = GoldenCase.load(caseName);
            int b = golden.batchSize();
            int seqLen = 81;
            int vocab = 11;
            int[] inputs = golden.ints("inputs");
            int[] ids = golden.ints("puzzle_identifiers");
            int[] slots = {1, 3, 4, 6};
            try (ReasoningModel model = ModelLoader.load(golden.dir(), ComputeDevice.cpu());
                 ResidentSlotBatch batch = new ResidentSlotBatch(model, 8, caseName, "test")) {
                for (int r = 0; r < b; r++) {
                    batch.load(slots[r], puzzle(inputs, r, seqLen), ids[r]);
                }
                for (int k = 1; k <= 4; k++) {
                    StepOutput out = batch.step(slots);
                    assertClose(golden.floats("step" + k + ".q_halt"), out.qHalt(), 1e-4, caseName + " q_halt " + k);
                    float[] logits = golden.floats("step" + k + ".logits");
                    int[] expected = argmax(logits, vocab);
                    for (int r = 0; r < b; r++) {
                        for (int t = 0; t < seqLen; t++) {
                            if (clearWinner(logits, vocab, r * seqLen + t, 1e-3)) {
                                assertEquals(expected[r * seqLen + t], out.predictions()[r][t], caseName + " argmax");
                            }
                        }
                    }
                    if (model.config().haltRule() == HaltRule.Q_HALT_ABOVE_ZERO) {
                        assertTrue(Float.isNaN(out.qContinue()[0]), "TRM reports no continue logit");
                    } else {
                        assertClose(golden.floats("step" + k + ".q_continue"), out.qContinue(), 1e-4, "q_continue");
                    }
                }
            }
        }
    }

    @Test
    void aPuzzleGetsTheSameResultsAloneAndMixedIntoABusyBatch() throws IOException {
        GoldenCase golden = GoldenCase.load("hrm-rope");
        int seqLen = 81;
        int steps = 4;
        int[] inputs = golden.ints("inputs");
        int[] ids = golden.ints("puzzle_identifiers");
        Random random = new Random(7);
        try (ReasoningModel model = ModelLoader.load(golden.dir(), ComputeDevice.cpu());
             ResidentSlotBatch batch = new ResidentSlotBatch(model, 8, "golden", "test")) {
            // alone: each puzzle by itself in slot 5 of the batch
            StepOutput[][] alone = new StepOutput[4][steps];
            for (int p = 0; p < 4; p++) {
                batch.load(5, puzzle(inputs, p, seqLen), ids[p]);
                for (int k = 0; k < steps; k++) {
                    alone[p][k] = batch.step(new int[] {5});
                }
            }

            // mixed: fillers already mid-way in slots 0 and 2, the puzzles in slots 1, 3, 4, 7, more fillers
            // joining and being replaced while the puzzles run
            batch.load(0, filler(random, seqLen), 1);
            batch.load(2, filler(random, seqLen), 2);
            batch.step(new int[] {0, 2});
            batch.step(new int[] {0, 2});
            int[] puzzleSlots = {1, 3, 4, 7};
            for (int p = 0; p < 4; p++) {
                batch.load(puzzleSlots[p], puzzle(inputs, p, seqLen), ids[p]);
            }
            batch.load(5, filler(random, seqLen), 0);
            batch.load(6, filler(random, seqLen), 1);
            int[] all = IntStream.range(0, 8).toArray();
            for (int k = 0; k < steps; k++) {
                StepOutput out = batch.step(all);
                for (int p = 0; p < 4; p++) {
                    int row = puzzleSlots[p];
                    StepOutput expected = alone[p][k];
                    assertArrayEquals(expected.predictions()[0], out.predictions()[row], "puzzle " + p + " step " + k);
                    assertEquals(expected.qHalt()[0], out.qHalt()[row], 1e-5, "q_halt of puzzle " + p);
                    assertEquals(expected.qContinue()[0], out.qContinue()[row], 1e-5, "q_continue of puzzle " + p);
                }
                batch.load(k % 2 == 0 ? 0 : 6, filler(random, seqLen), 2);   // a neighbour halts and is refilled
            }
        }
    }

    @Test
    void steppingIsFlatInMemory() {
        ModelConfig config = ModelConfig.builder(Architecture.HRM_ACT_V1).hidden_size(32).num_heads(2)
                .H_layers(1).L_layers(1).H_cycles(1).L_cycles(2).build();
        Random random = new Random(3);
        try (ReasoningModel model = ReasoningModel.randomlyInitialised(config, 11, ComputeDevice.cpu());
             ResidentSlotBatch batch = new ResidentSlotBatch(model, 8, "random", "sudoku")) {
            NDManager root = model.manager().getParentManager();
            for (int slot = 0; slot < 8; slot++) {
                batch.load(slot, filler(random, config.seqLen()), 0);
            }
            batch.step(new int[] {0, 1, 2, 3, 4, 5, 6, 7});
            int before = root.getManagedArrays().size();
            for (int i = 0; i < 200; i++) {
                batch.load(i % 8, filler(random, config.seqLen()), 0);
                batch.step(i % 3 == 0 ? new int[] {i % 8} : new int[] {0, 2, 3, 5, 6, 7});
            }
            assertEquals(before, root.getManagedArrays().size(), "live DJL arrays after 200 steps");
            // the count does see arrays: one more is one more
            try (var probe = model.manager().create(1f)) {
                assertEquals(before + 1, root.getManagedArrays().size());
            }
        }
    }

    @Test
    void badPuzzlesAreRejectedWithTheReason() {
        ModelConfig config = ModelConfig.builder(Architecture.TRM).hidden_size(32).num_heads(2)
                .puzzle_emb_ndim(32).puzzle_emb_len(2).num_puzzle_identifiers(3).build();
        try (ReasoningModel model = ReasoningModel.randomlyInitialised(config, 1, ComputeDevice.cpu());
             ResidentSlotBatch batch = new ResidentSlotBatch(model, 2, "random", "sudoku")) {
            int[] good = new int[81];
            assertThrows(IllegalArgumentException.class, () -> batch.load(2, good, 0), "slot");
            assertThrows(IllegalArgumentException.class, () -> batch.load(0, new int[80], 0), "length");
            int[] outOfVocabulary = good.clone();
            outOfVocabulary[40] = 11;
            var e = assertThrows(IllegalArgumentException.class, () -> batch.load(0, outOfVocabulary, 0));
            assertTrue(e.getMessage().contains("position 40"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> batch.load(0, good, 3), "puzzle identifier");
            assertThrows(IllegalStateException.class, () -> batch.step(new int[] {1}), "empty slot");
            batch.load(0, good, 2);
            batch.load(1, good, 2);
            assertThrows(IllegalArgumentException.class, () -> batch.step(new int[] {1, 0}), "order");
            assertEquals(2, batch.step(new int[] {0, 1}).qHalt().length);
            assertEquals("trm", batch.descriptor().architecture());
            assertEquals(HaltRule.Q_HALT_ABOVE_ZERO, batch.descriptor().haltRule());
        }
    }

    private static int[] puzzle(int[] inputs, int row, int seqLen) {
        int[] p = new int[seqLen];
        System.arraycopy(inputs, row * seqLen, p, 0, seqLen);
        return p;
    }

    private static int[] filler(Random random, int seqLen) {
        return random.ints(seqLen, 0, 11).toArray();
    }
}
