package io.hrmstream.worker.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.worker.checkpoint.HostTensor;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.ModelConfig;
import io.hrmstream.worker.model.ReasoningModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weight EMA: the hand-computed average, saved and resumed, and the weights that are evaluated and published. */
class EmaWeightsTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    private static ReasoningModel tinyModel(long seed) {
        return ReasoningModel.randomlyInitialised(ModelConfig.builder(Architecture.HRM_ACT_V1)
                .seq_len(4).vocab_size(11).num_puzzle_identifiers(1).hidden_size(16).num_heads(1)
                .H_layers(1).L_layers(1).H_cycles(1).L_cycles(1).halt_max_steps(2).build(), seed, ComputeDevice.cpu());
    }

    /** Weights after "step" k: sin(0.1 i + k), known without training. */
    private static float[] weightsAt(int k, int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) Math.sin(0.1 * i + k);
        return w;
    }

    @Test
    void afterThreeStepsEachAverageIsTheHandComputedOneAndItsStateRestores() {
        double rate = 0.9;
        try (ReasoningModel model = tinyModel(3); EmaWeights ema = new EmaWeights(model, rate)) {
            Map<String, NDArray> parameters = model.parameters();
            Map<String, float[]> start = floats(parameters);
            for (int k = 1; k <= 3; k++) {
                int step = k;
                parameters.values().forEach(p -> p.set(weightsAt(step, (int) p.size())));
                ema.update(parameters);
            }
            Map<String, HostTensor> state = ema.state();
            assertEquals(parameters.keySet(), state.keySet(), "one average per trainable parameter");
            for (String key : parameters.keySet()) {
                float[] w0 = start.get(key);
                float[] w1 = weightsAt(1, w0.length);
                float[] w2 = weightsAt(2, w0.length);
                float[] w3 = weightsAt(3, w0.length);
                float[] expected = new float[w0.length];
                for (int i = 0; i < w0.length; i++) {
                    // e_k = rate e_(k-1) + (1 - rate) w_k, from e_0 = w_0
                    expected[i] = (float) (rate * rate * rate * w0[i]
                            + (1 - rate) * (rate * rate * w1[i] + rate * w2[i] + w3[i]));
                }
                assertArrayEquals(expected, state.get(key).toFloats(), 1e-6f, key);
            }

            try (ReasoningModel other = tinyModel(4); EmaWeights restored = new EmaWeights(other, rate)) {
                restored.load(state);
                restored.state().forEach((key, t) -> assertArrayEquals(state.get(key).toFloats(), t.toFloats(), 0f, key));
            }

            try (ReasoningModel averaged = ema.averagedModel(model)) {
                averaged.stateDict().forEach((key, a) -> assertArrayEquals(
                        state.containsKey(key) ? state.get(key).toFloats() : model.stateDict().get(key).toFloatArray(),
                        a.toFloatArray(), 0f, key + ": the average for a parameter, the trained tensor for a buffer"));
                NDArray trained = model.parameters().values().iterator().next();
                assertArrayEquals(weightsAt(3, (int) trained.size()), trained.toFloatArray(), 0f,
                        "the trained weights are left as they are");
            }
        }
    }

    private static TrainConfig recipe(Path out, int steps, Double ema) {
        Map<String, Object> arch = new LinkedHashMap<>();
        arch.put("name", "hrm_act_v1");
        arch.putAll(Map.of("hidden_size", 32, "num_heads", 2, "expansion", 2, "H_layers", 1, "L_layers", 1,
                "H_cycles", 1, "L_cycles", 2, "pos_encodings", "rope", "halt_max_steps", 3, "halt_exploration_prob", 0.1));
        return new TrainConfig(arch, new TrainConfig.Data("sudoku", 60, 70, null, null, null, null), 16, steps, 5L,
                new TrainConfig.Optimizer(3e-2, 0, "cosine", 1.0, null, 0.0, null, null, null, null, null, ema),
                new TrainConfig.Eval(1000, 16, 99L, null), 20, 2, out.toString(), null);
    }

    @Test
    void theRunEvaluatesAndPublishesTheAverageKeepsTheRawWeightsAndResumesBoth(@TempDir Path dir) throws Exception {
        double rate = 0.5;
        TrainConfig oneStep = recipe(dir, 1, rate);   // evaluates (and writes best/) at its last step
        new TrainingRun(oneStep, QUIET).run(false);

        Map<String, float[]> start;
        try (ReasoningModel initial = ReasoningModel.randomlyInitialised(oneStep.modelConfig(), oneStep.seed(),
                ComputeDevice.cpu())) {
            start = floats(initial.parameters());
        }
        Map<String, float[]> average1 = parameters(dir.resolve("last"));
        Map<String, float[]> raw1 = parameters(dir.resolve("last/raw"));
        assertAverage(rate, start, raw1, average1, "step 1");
        Map<String, float[]> best = parameters(dir.resolve("best"));
        average1.forEach((key, a) -> assertArrayEquals(a, best.get(key), 0f, "best/ holds the average: " + key));

        // the evaluation scored the average: the logged result is the average's, not the raw weights'
        List<TrainingExample> heldOut = heldOut(oneStep);
        HeldOutEvaluation.Result logged = loggedEvaluation(dir);
        HeldOutEvaluation.Result ofAverage = evaluate(dir.resolve("last"), heldOut);
        HeldOutEvaluation.Result ofRaw = evaluate(dir.resolve("last/raw"), heldOut);
        assertNotEquals(ofRaw, ofAverage, "precondition: the two sets of weights score differently");
        assertEquals(ofAverage, logged);

        new TrainingRun(recipe(dir, 2, rate), QUIET).run(true);
        Map<String, float[]> raw2 = parameters(dir.resolve("last/raw"));
        assertAverage(rate, average1, raw2, parameters(dir.resolve("last")), "step 2 continues the restored average");
    }

    @Test
    void withoutAnEmaTheModelFolderHoldsTheTrainedWeightsAndNoRawCopy(@TempDir Path dir) throws Exception {
        new TrainingRun(recipe(dir, 1, null), QUIET).run(false);
        assertTrue(Files.isRegularFile(dir.resolve("last/weights.safetensors")));
        assertFalse(Files.exists(dir.resolve("last/raw")));
    }

    private static void assertAverage(double rate, Map<String, float[]> before, Map<String, float[]> raw,
                                      Map<String, float[]> average, String what) {
        assertEquals(before.keySet(), average.keySet());
        for (String key : before.keySet()) {
            float[] expected = new float[before.get(key).length];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (float) (rate * before.get(key)[i] + (1 - rate) * raw.get(key)[i]);
            }
            assertArrayEquals(expected, average.get(key), 1e-6f, what + ": " + key);
        }
    }

    private static Map<String, float[]> parameters(Path modelFolder) throws Exception {
        try (ReasoningModel model = ModelLoader.load(modelFolder, ComputeDevice.cpu())) {
            return floats(model.parameters());
        }
    }

    private static Map<String, float[]> floats(Map<String, NDArray> arrays) {
        Map<String, float[]> out = new LinkedHashMap<>();
        arrays.forEach((k, a) -> out.put(k, a.toFloatArray()));
        return out;
    }

    /** The held-out puzzles TrainingRun generates for a recipe without eval.csv. */
    private static List<TrainingExample> heldOut(TrainConfig recipe) throws Exception {
        ExampleSource source = recipe.data().source(recipe.eval().seed());
        List<TrainingExample> out = new ArrayList<>();
        for (int i = 0; i < recipe.eval().puzzles(); i++) out.add(source.next());
        return out;
    }

    private static HeldOutEvaluation.Result evaluate(Path modelFolder, List<TrainingExample> puzzles) throws Exception {
        try (ReasoningModel model = ModelLoader.load(modelFolder, ComputeDevice.cpu())) {
            return HeldOutEvaluation.run(model, puzzles, 128);
        }
    }

    private static HeldOutEvaluation.Result loggedEvaluation(Path run) throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode node = json.readTree(line);
            if (node.has("eval")) return json.treeToValue(node.get("eval"), HeldOutEvaluation.Result.class);
        }
        throw new AssertionError("no evaluation in metrics.jsonl");
    }
}
