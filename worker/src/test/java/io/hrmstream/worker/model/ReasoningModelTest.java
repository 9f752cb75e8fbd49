package io.hrmstream.worker.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.checkpoint.ModelWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static io.hrmstream.worker.model.GoldenCase.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReasoningModelTest {

    private static final ModelConfig SMALL_HRM = ModelConfig.builder(Architecture.HRM_ACT_V1)
            .hidden_size(32).num_heads(2).H_layers(1).L_layers(1).puzzle_emb_ndim(32).num_puzzle_identifiers(2)
            .build();

    @Test
    void randomInitialisationIsDeterministicAndFollowsTheOfficialInit() {
        ModelConfig config = ModelConfig.builder(Architecture.HRM_ACT_V1).puzzle_emb_ndim(128).build();
        try (ReasoningModel a = ReasoningModel.randomlyInitialised(config, 42, ComputeDevice.cpu());
             ReasoningModel b = ReasoningModel.randomlyInitialised(config, 42, ComputeDevice.cpu());
             ReasoningModel c = ReasoningModel.randomlyInitialised(config, 43, ComputeDevice.cpu())) {
            a.stateDict().forEach((key, w) -> assertArrayEquals(w.toFloatArray(), b.stateDict().get(key).toFloatArray(), key));
            String qkv = "H_level.layers.0.self_attn.qkv_proj.weight";
            assertFalse(java.util.Arrays.equals(a.stateDict().get(qkv).toFloatArray(),
                    c.stateDict().get(qkv).toFloatArray()), "another seed draws other weights");

            assertTrue(allEqual(a.stateDict().get("q_head.weight"), 0f), "q_head.weight is 0");
            assertTrue(allEqual(a.stateDict().get("q_head.bias"), -5f), "q_head.bias is -5");
            assertTrue(allEqual(a.stateDict().get("puzzle_emb.weights"), 0f), "puzzle embeddings start at 0");
            // truncated LeCun normal: std 1/sqrt(fan_in), nothing beyond 2 "component" stds
            float[] w = a.stateDict().get(qkv).toFloatArray();     // [384, 128]
            double std = Math.sqrt(java.util.Arrays.stream(toDoubles(w)).map(x -> x * x).average().orElseThrow());
            assertEquals(1 / Math.sqrt(128), std, 0.03 / Math.sqrt(128), "std of " + qkv);
            double bound = 2 / Math.sqrt(128) / Init.TruncatedNormal.TRUNCATED_STD;
            assertTrue(java.util.Arrays.stream(toDoubles(w)).allMatch(x -> Math.abs(x) <= bound), "truncated at 2 sigma");
            assertEquals(Map.of("H_init", 1, "L_init", 1, "puzzle_emb.weights", 1).keySet(), a.bufferKeys());
            assertFalse(a.parameters().containsKey("H_init"));
        }
    }

    @Test
    void aSavedModelLoadsBackWithTheSameOutputs(@TempDir Path dir) throws IOException {
        for (ModelConfig config : new ModelConfig[] {SMALL_HRM,
                ModelConfig.builder(Architecture.TRM).hidden_size(32).num_heads(2).pos_encodings(PosEncoding.NONE)
                        .mlp_t(true).puzzle_emb_ndim(32).puzzle_emb_len(2).build()}) {
            Path folder = dir.resolve(config.architecture().shortName());
            try (ReasoningModel model = ReasoningModel.randomlyInitialised(config, 5, ComputeDevice.cpu())) {
                ModelWriter.save(model, "sudoku", folder);
                try (ReasoningModel loaded = ModelLoader.load(folder, ComputeDevice.cpu())) {
                    assertEquals(config, loaded.config());
                    assertEquals(model.stateDict().keySet(), loaded.stateDict().keySet());
                    float[][] expected = stepOnce(model, 3);
                    float[][] actual = stepOnce(loaded, 3);
                    for (int i = 0; i < expected.length; i++) {
                        assertArrayEquals(expected[i], actual[i]);
                    }
                }
            }
            String json = Files.readString(folder.resolve("config.json"));
            assertTrue(json.contains("\"H_cycles\"") && json.contains("\"pos_encodings\""), json);
        }
    }

    @Test
    void forwardAppliesTheOneStepGradientToTheFinalUpdatesOnly() {
        try (ReasoningModel model = ReasoningModel.randomlyInitialised(SMALL_HRM, 9, ComputeDevice.cpu());
             NDManager manager = model.manager().newSubManager();
             NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            model.parameters().values().forEach(p -> p.setRequiresGradient(true));
            NDArray inputs = manager.create(new Random(1).ints(2 * 81, 0, 11).toArray(), new Shape(2, 81));
            NDArray ids = manager.create(new int[] {0, 1});
            InnerCarry start = model.initialCarry(2);
            String lmHead = "lm_head.weight";
            String lLayer = "L_level.layers.0.mlp.down_proj.weight";

            // the official forward: leading updates under no_grad, the last L and H updates with gradient
            Map<String, float[]> viaForward = new LinkedHashMap<>();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(model.forward(start, inputs, ids).logits().sum());
            }
            for (String key : new String[] {lmHead, lLayer}) {
                viaForward.put(key, model.stateDict().get(key).getGradient().toFloatArray());
            }
            model.parameters().values().forEach(p -> JniUtils.zeroGrad((PtNDArray) p));   // gradients accumulate

            // the same by hand: leading updates outside the collector, then differentiate the final updates
            InnerCarry leading = model.reasoner().leadingUpdates(start,
                    model.inputEmbeddings(inputs, ids), model.rotaryEmbedding());
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray x = model.inputEmbeddings(inputs, ids);
                InnerCarry last = model.reasoner().finalUpdates(leading, x, model.rotaryEmbedding());
                NDArray logits = model.stateDict().get(lmHead).getNDArrayInternal()
                        .linear(last.zH().get(":, 1:"), model.stateDict().get(lmHead), null).singletonOrThrow();
                collector.backward(logits.sum());
            }
            for (String key : viaForward.keySet()) {
                float[] byHand = model.stateDict().get(key).getGradient().toFloatArray();
                assertTrue(java.util.Arrays.stream(toDoubles(byHand)).anyMatch(g -> g != 0), key + " has gradient");
                assertClose(byHand, viaForward.get(key), 1e-4, "gradient of " + key);
            }
        }
    }

    @Test
    void float16ComputeStaysCloseToFloat32OnTheGoldenCase() throws IOException {
        GoldenCase golden = GoldenCase.load("hrm-rope");
        ComputeDevice cpuHalf = ComputeDevice.parse("cpu:f16");
        try (ReasoningModel model = ModelLoader.load(golden.dir(), cpuHalf);
             NDManager manager = model.manager().newSubManager();
             NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            assertEquals(DataType.FLOAT16, model.stateDict().get("lm_head.weight").getDataType());
            ActModel act = new ActModel(model);
            NDArray inputs = golden.array(manager, "inputs");
            NDArray ids = golden.array(manager, "puzzle_identifiers");
            ActStep step = act.forward(act.initialCarry(inputs, ids), inputs, ids);
            assertEquals(DataType.FLOAT16, step.logits().getDataType());
            float[] logits = step.logits().toType(DataType.FLOAT32, false).toFloatArray();
            assertClose(golden.floats("step1.logits"), logits, 0.05, "float16 step1.logits");
            assertClose(golden.floats("step1.q_halt"), step.qHalt().toFloatArray(), 0.05, "float16 step1.q_halt");
        }
    }

    /** Logits, q_halt and q_continue of one step from H_init/L_init on {@code batch} random puzzles. */
    private static float[][] stepOnce(ReasoningModel model, int batch) {
        try (NDManager manager = model.manager().newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray inputs = manager.create(new Random(2).ints(batch * 81L, 0, 11).toArray(), new Shape(batch, 81));
            NDArray ids = manager.zeros(new Shape(batch), DataType.INT32);
            InnerOutput out = model.forward(model.initialCarry(batch), inputs, ids);
            return new float[][] {out.logits().toFloatArray(), out.qHalt().toFloatArray(), out.qContinue().toFloatArray()};
        }
    }

    private static boolean allEqual(NDArray array, float value) {
        for (float v : array.toFloatArray()) {
            if (v != value) {
                return false;
            }
        }
        return true;
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
