package io.hrmstream.worker.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.ModelConfig;
import io.hrmstream.worker.model.PuzzleEmbedding;
import io.hrmstream.worker.model.ReasoningModel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The puzzle-embedding table's sign-SGD: only the batch's rows move, and AdamW leaves the table alone. */
class SparseEmbeddingSignSgdTest {

    private static final int ROWS = 5;
    private static final int DIM = 3;

    /** A rate of {@code lr} at every step: no warm-up, and a cosine whose floor is its peak. */
    private static LrSchedule constant(double lr) {
        return new LrSchedule(LrSchedule.Kind.COSINE, lr, 0, 10, 1.0, 0);
    }

    @Test
    void theBatchsRowsTakeMinusLrTimesTheSignOfTheirSummedGradientAfterDecayOthersStayPut() {
        float lr = 0.1f;
        float weightDecay = 0.5f;
        float[] start = new float[ROWS * DIM];
        for (int i = 0; i < start.length; i++) start[i] = 0.25f * (i - 7);
        int[] ids = {3, 1, 1};
        // upstream gradient of each batch row; row 1 is read twice and its two gradients sum to [0, -1, 1]
        float[] upstream = {
                0.3f, -0.7f, 2f,     // row 3: sign [1, -1, 1]
                1f, -2f, 0.5f,       // row 1, first read
                -1f, 1f, 0.5f};      // row 1, second read: sum [0, -1, 1], sign [0, -1, 1]
        try (NDManager m = NDManager.newBaseManager(ComputeDevice.cpu().device())) {
            NDArray table = m.create(start, new Shape(ROWS, DIM));
            SparseEmbeddingSignSgd optimizer = new SparseEmbeddingSignSgd(table, constant(lr), weightDecay);
            PuzzleEmbedding embedding = new PuzzleEmbedding(table, 1, DIM);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray rows = embedding.forward(m.create(ids)).reshape(ids.length, DIM);
                collector.backward(rows.mul(m.create(upstream, new Shape(ids.length, DIM))).sum());
            }
            assertTrue(optimizer.gradientIsFinite(ids));
            optimizer.step(ids, 0);

            float[] expected = start.clone();
            float decay = 1 - lr * weightDecay;      // the official p.mul_(1 - lr * weight_decay), then -lr * sign
            float[][] signs = {null, {0, -1, 1}, null, {1, -1, 1}, null};
            for (int row : new int[] {1, 3}) {
                for (int d = 0; d < DIM; d++) {
                    int i = row * DIM + d;
                    expected[i] = start[i] * decay - lr * signs[row][d];
                }
            }
            float[] after = table.toFloatArray();
            assertArrayEquals(expected, after, 1e-6f, "rows 1 and 3 updated; a zero gradient still decays");
            for (int row : new int[] {0, 2, 4}) {
                assertArrayEquals(Arrays.copyOfRange(start, row * DIM, row * DIM + DIM),
                        Arrays.copyOfRange(after, row * DIM, row * DIM + DIM), 0f,
                        "row " + row + " is not in the batch: untouched, not even decayed");
            }
            NDArray gradient = table.getGradient();
            assertEquals(0f, gradient.abs().sum().getFloat(), "the gradient is zeroed after the step");
            gradient.close();
        }
    }

    @Test
    void aTrainingStepMovesOnlyTheBatchsTableRowsBySignSgdAndAdamWNeverSeesTheTable() {
        ModelConfig config = ModelConfig.builder(Architecture.HRM_ACT_V1)
                .seq_len(4).vocab_size(11).num_puzzle_identifiers(6).puzzle_emb_ndim(16).hidden_size(16)
                .num_heads(1).H_layers(1).L_layers(1).H_cycles(1).L_cycles(1).halt_max_steps(2)
                .halt_exploration_prob(0).build();
        int[] counter = {0};
        ExampleSource twoPuzzles = () -> {
            int k = counter[0]++;
            return new TrainingExample(new int[] {1 + k % 3, 2, 3, 4}, new int[] {2, 3, 4, 5}, 0, k % 2 == 0 ? 2 : 4);
        };
        double puzzleEmbLr = 0.01;
        try (ReasoningModel model = ReasoningModel.randomlyInitialised(config, 3, ComputeDevice.cpu());
             AdamW adam = new AdamW(model.manager(), 0.9, 0.95, 1e-8, 0.1)) {
            NDArray table = model.stateDict().get(PuzzleEmbedding.WEIGHTS_KEY);
            assertFalse(model.parameters().containsKey(PuzzleEmbedding.WEIGHTS_KEY), "AdamW's parameters");
            Map<String, float[]> before = new HashMap<>();
            model.parameters().forEach((k, p) -> before.put(k, p.toFloatArray()));
            try (ActTrainer trainer = new ActTrainer(model, twoPuzzles, adam,
                    new SparseEmbeddingSignSgd(table, constant(puzzleEmbLr), 0.1),
                    new LrSchedule(LrSchedule.Kind.COSINE, 1e-3, 0, 10, 1.0, 0), 3, 1)) {
                StepMetrics metrics = trainer.step(0);
                assertFalse(metrics.updateSkipped(), metrics.skipReason());
                assertArrayEquals(new int[] {2, 4, 2}, trainer.puzzleIdentifiers());
            }
            float[] after = table.toFloatArray();
            for (int row = 0; row < 6; row++) {
                float[] values = Arrays.copyOfRange(after, row * 16, row * 16 + 16);
                if (row == 2 || row == 4) {
                    // zero start: decay does nothing, so each value is -lr * sign(g)
                    int moved = 0;
                    for (float v : values) {
                        assertTrue(v == 0 || Math.abs(Math.abs(v) - puzzleEmbLr) < 1e-9, "row " + row + ": " + v);
                        if (v != 0) moved++;
                    }
                    assertTrue(moved > 0, "row " + row + " moved");
                } else {
                    assertArrayEquals(new float[16], values, 0f, "row " + row + " is read by no puzzle of the batch");
                }
            }
            assertTrue(adam.state().keySet().stream().noneMatch(k -> k.contains("puzzle_emb")), "AdamW has no state for the table");
            assertTrue(model.parameters().entrySet().stream()
                    .anyMatch(e -> !Arrays.equals(before.get(e.getKey()), e.getValue().toFloatArray())), "AdamW stepped");
        }
    }
}
