package io.hrmstream.worker.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.hrmstream.puzzles.PuzzleTasks;
import io.hrmstream.worker.checkpoint.HostTensor;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.checkpoint.Safetensors;
import io.hrmstream.worker.model.ActModel;
import io.hrmstream.worker.model.ActStep;
import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.GoldenCase;
import io.hrmstream.worker.model.ModelConfig;
import io.hrmstream.worker.model.ReasoningModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

import static io.hrmstream.worker.model.GoldenCase.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelLoaderTest {

    /** all_config.yaml as pretrain.py dumps it: the model in {@code arch}, the data-set fields absent. */
    static final String HRM_ROPE_ALL_CONFIG = """
            arch:
              H_cycles: 2
              H_layers: 2
              L_cycles: 2
              L_layers: 2
              expansion: 4
              halt_exploration_prob: 0.1
              halt_max_steps: 4
              hidden_size: 64
              loss:
                loss_type: stablemax_cross_entropy
                name: losses@ACTLossHead
              name: hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1
              num_heads: 4
              pos_encodings: rope
              puzzle_emb_ndim: 64
            beta1: 0.9
            beta2: 0.95
            checkpoint_every_eval: true
            data_path: data/sudoku-extreme-1k-aug-1000
            epochs: 20000
            eval_interval: 2000
            global_batch_size: 384
            lr: 7.0e-05
            """;

    @Test
    void anOfficialCheckpointFolderLoadsWithSeqLenFromTheInputs(@TempDir Path dir) throws IOException {
        GoldenCase golden = GoldenCase.load("hrm-rope");
        Files.writeString(dir.resolve("all_config.yaml"), HRM_ROPE_ALL_CONFIG);
        Files.copy(golden.dir().resolve("checkpoint.pt"), dir.resolve("checkpoint"));

        var e = assertThrows(IOException.class, () -> InputLength.unknown().resolve(dir));
        assertTrue(e.getMessage().contains("seq_len") && e.getMessage().contains("no --seq-len")
                && e.getMessage().contains("no dataset.json") && e.getMessage().contains("no task given"),
                "the error names every source it tried: " + e.getMessage());
        try (ReasoningModel model = ModelLoader.load(dir, ComputeDevice.cpu())) {
            assertEquals(81, model.config().seqLen(), "no task given: its vocabulary of 11 tokens is sudoku's, so "
                    + "sudoku's official length");
        }

        try (ReasoningModel model = ModelLoader.load(dir, ComputeDevice.cpu(), OptionalInt.of(81))) {
            ModelConfig config = model.config();
            assertEquals(Architecture.HRM_ACT_V1, config.architecture());
            assertEquals(81, config.seqLen());
            assertEquals(11, config.vocabSize());
            assertEquals(3, config.numPuzzleIdentifiers());
            assertStepOneMatches(golden, model);
        }
    }

    @Test
    void anOfficialRopeFolderTakesSeqLenFromTheDataSetsJsonBesideIt(@TempDir Path dir) throws IOException {
        GoldenCase golden = GoldenCase.load("hrm-rope");
        Files.writeString(dir.resolve("all_config.yaml"), HRM_ROPE_ALL_CONFIG);
        Files.copy(golden.dir().resolve("checkpoint.pt"), dir.resolve("checkpoint"));
        Files.writeString(dir.resolve("dataset.json"), "{\"seq_len\": 81, \"vocab_size\": 11, \"pad_id\": 0}");
        try (ReasoningModel model = ModelLoader.load(dir, ComputeDevice.cpu(), InputLength.unknown())) {
            assertEquals(81, model.config().seqLen());
            assertStepOneMatches(golden, model);
        }
    }

    @Test
    void anOfficialRopeFolderWithoutDataSetTakesTheTasksOfficialLengthAndAFlagWinsOverBoth(@TempDir Path dir)
            throws IOException {
        GoldenCase golden = GoldenCase.load("hrm-rope");
        Files.writeString(dir.resolve("all_config.yaml"), HRM_ROPE_ALL_CONFIG);
        Files.copy(golden.dir().resolve("checkpoint.pt"), dir.resolve("checkpoint"));
        var sudoku = PuzzleTasks.forName("sudoku");
        try (ReasoningModel model = ModelLoader.load(dir, ComputeDevice.cpu(),
                new InputLength(OptionalInt.empty(), sudoku))) {
            assertEquals(81, model.config().seqLen(), "sudoku's official length");
        }
        Files.writeString(dir.resolve("dataset.json"), "{\"seq_len\": 900}");
        try (ReasoningModel model = ModelLoader.load(dir, ComputeDevice.cpu(),
                new InputLength(OptionalInt.of(81), sudoku))) {
            assertEquals(81, model.config().seqLen(), "--seq-len wins over dataset.json");
        }
    }

    @Test
    void aSeqLenFlagThatDisagreesWithLearnedPositionsIsAnError(@TempDir Path dir) throws IOException {
        GoldenCase golden = GoldenCase.load("hrm-learned");
        Files.writeString(dir.resolve("all_config.yaml"), HRM_ROPE_ALL_CONFIG
                .replace("pos_encodings: rope", "pos_encodings: learned")
                .replace("puzzle_emb_ndim: 64", "puzzle_emb_ndim: 0"));
        Files.copy(golden.dir().resolve("weights.safetensors"), dir.resolve("checkpoint"));
        var e = assertThrows(IOException.class, () -> ModelLoader.load(dir, ComputeDevice.cpu(), InputLength.of(900)));
        assertTrue(e.getMessage().contains("--seq-len 900 disagrees") && e.getMessage().contains("seq_len 81"),
                e.getMessage());
    }

    @Test
    void anOfficialFolderTakesItsLatestStepAndSeqLenFromLearnedPositions(@TempDir Path dir) throws IOException {
        GoldenCase golden = GoldenCase.load("hrm-learned");
        Files.writeString(dir.resolve("all_config.yaml"), HRM_ROPE_ALL_CONFIG
                .replace("pos_encodings: rope", "pos_encodings: learned")
                .replace("puzzle_emb_ndim: 64", "puzzle_emb_ndim: 0"));
        Files.copy(golden.dir().resolve("weights.safetensors"), dir.resolve("step_12000"));
        Files.writeString(dir.resolve("step_900"), "an older, broken checkpoint");
        try (ReasoningModel model = ModelLoader.load(dir, ComputeDevice.cpu())) {
            assertEquals(81, model.config().seqLen());
            assertStepOneMatches(golden, model);
        }
    }

    /** all_config.yaml as TinyRecursiveModels' pretrain.py dumps it (config/arch/trm.yaml, interpolations resolved). */
    private static final String TRM_ATT_ALL_CONFIG = """
            arch:
              H_cycles: 3
              H_layers: 0
              L_cycles: 2
              L_layers: 2
              expansion: 4
              forward_dtype: bfloat16
              halt_exploration_prob: 0.1
              halt_max_steps: 4
              hidden_size: 64
              loss:
                loss_type: stablemax_cross_entropy
                name: losses@ACTLossHead
              mlp_t: false
              name: recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1
              no_ACT_continue: true
              num_heads: 4
              pos_encodings: rope
              puzzle_emb_len: 16
              puzzle_emb_ndim: 64
            beta1: 0.9
            beta2: 0.95
            checkpoint_every_eval: true
            data_path: data/sudoku-extreme-1k-aug-1000
            ema: true
            ema_rate: 0.999
            epochs: 50000
            eval_interval: 5000
            freeze_weights: false
            global_batch_size: 768
            lr: 0.0001
            puzzle_emb_lr: 0.0001
            """;

    @Test
    void aTrmAllConfigWithItsLatestStepLoadsAsTheOfficialTrm(@TempDir Path dir) throws IOException {
        GoldenCase golden = GoldenCase.load("trm-att");
        Files.writeString(dir.resolve("all_config.yaml"), TRM_ATT_ALL_CONFIG);
        Files.copy(golden.dir().resolve("checkpoint.pt"), dir.resolve("step_39060"));
        Files.writeString(dir.resolve("step_5000"), "an earlier step, not read");
        try (ReasoningModel model = ModelLoader.load(dir, ComputeDevice.cpu(),
                new InputLength(OptionalInt.empty(), PuzzleTasks.forName("sudoku")))) {
            ModelConfig config = model.config();
            assertEquals(Architecture.TRM, config.architecture());
            assertEquals(16, config.prefixLength(), "puzzle_emb_len");
            assertEquals(81, config.seqLen(), "sudoku's official length: rope fixes none");
            assertEquals(3, config.numPuzzleIdentifiers(), "from the puzzle_emb table");
            assertStepOneMatches(golden, model);
        }
    }

    @Test
    void theTrmRepositorysOwnHrmVariantIsAnErrorNamingWhatIsSupported(@TempDir Path dir) throws IOException {
        // TinyRecursiveModels ships an HRM of its own (models/recursive_reasoning/hrm.py): not the same module
        Files.writeString(dir.resolve("all_config.yaml"), TRM_ATT_ALL_CONFIG.replace(
                "recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1",
                "recursive_reasoning.hrm@HierarchicalReasoningModel_ACTV1"));
        Files.copy(GoldenCase.load("trm-att").dir().resolve("checkpoint.pt"), dir.resolve("checkpoint"));
        var e = assertThrows(IOException.class, () -> ModelLoader.load(dir, ComputeDevice.cpu(), InputLength.of(81)));
        assertTrue(e.getMessage().contains("unsupported architecture 'recursive_reasoning.hrm@")
                && e.getMessage().contains(Architecture.TRM.officialName()), e.getMessage());
    }

    @Test
    void keysWithOrWithoutTheCompileAndLossHeadPrefixesLoadAlike(@TempDir Path dir) throws IOException {
        GoldenCase golden = GoldenCase.load("hrm-rope");
        Map<String, HostTensor> official = TorchCheckpoint.read(golden.dir().resolve("checkpoint.pt"));
        // DISABLE_COMPILE runs save model.inner.*; a bare inner model saves no prefix at all
        for (String prefix : new String[] {"model.inner.", ""}) {
            Path folder = Files.createDirectories(dir.resolve(prefix.isEmpty() ? "bare" : prefix));
            Map<String, HostTensor> renamed = new LinkedHashMap<>();
            official.forEach((key, t) -> renamed.put(prefix + key.substring(WeightSource.OFFICIAL_PREFIX.length()), t));
            OfficialCheckpointFolder.writeTorchSave(folder.resolve("checkpoint"), renamed);
            Files.writeString(folder.resolve("all_config.yaml"), HRM_ROPE_ALL_CONFIG);
            try (ReasoningModel model = ModelLoader.load(folder, ComputeDevice.cpu(), InputLength.of(81))) {
                assertStepOneMatches(golden, model);
            }
        }
    }

    @Test
    void aMissingTensorIsNamed(@TempDir Path dir) throws IOException {
        Map<String, HostTensor> weights = goldenWeights(dir, "hrm-rope");
        weights.remove("_orig_mod.model.inner.L_level.layers.1.mlp.down_proj.weight");
        Safetensors.write(dir.resolve("weights.safetensors"), weights, Map.of());
        var e = assertThrows(IllegalArgumentException.class, () -> ModelLoader.load(dir, ComputeDevice.cpu()));
        assertTrue(e.getMessage().contains("L_level.layers.1.mlp.down_proj.weight")
                && e.getMessage().contains("[64, 256]"), e.getMessage());
    }

    @Test
    void aMisshapenTensorIsNamedWithBothShapes(@TempDir Path dir) throws IOException {
        Map<String, HostTensor> weights = goldenWeights(dir, "hrm-rope");
        weights.put("lm_head.weight", HostTensor.ofFloats(new long[] {11, 32}, new float[11 * 32]));  // no prefix
        weights.remove("_orig_mod.model.inner.lm_head.weight");
        Safetensors.write(dir.resolve("weights.safetensors"), weights, Map.of());
        var e = assertThrows(IllegalArgumentException.class, () -> ModelLoader.load(dir, ComputeDevice.cpu()));
        assertTrue(e.getMessage().contains("lm_head.weight") && e.getMessage().contains("[11, 32]")
                && e.getMessage().contains("[11, 64]"), e.getMessage());
    }

    @Test
    void aTensorTheConfigDoesNotUseIsNamed(@TempDir Path dir) throws IOException {
        Map<String, HostTensor> weights = goldenWeights(dir, "hrm-rope");
        weights.put("_orig_mod.model.inner.H_level.layers.2.mlp.down_proj.weight",
                HostTensor.ofFloats(new long[] {64, 256}, new float[64 * 256]));
        Safetensors.write(dir.resolve("weights.safetensors"), weights, Map.of());
        var e = assertThrows(IllegalArgumentException.class, () -> ModelLoader.load(dir, ComputeDevice.cpu()));
        assertTrue(e.getMessage().contains("H_level.layers.2.mlp.down_proj.weight"), e.getMessage());
    }

    @Test
    void aModelLoadsFromClasspathResources() throws IOException {
        try (ReasoningModel model = ModelLoader.loadResource("/golden/trm-att", ComputeDevice.cpu())) {
            assertEquals(Architecture.TRM, model.config().architecture());
            assertStepOneMatches(GoldenCase.load("trm-att"), model);
        }
    }

    /** Copies a golden config.json into {@code dir} and returns its weights for the test to damage. */
    private static Map<String, HostTensor> goldenWeights(Path dir, String caseName) throws IOException {
        GoldenCase golden = GoldenCase.load(caseName);
        Files.copy(golden.dir().resolve("config.json"), dir.resolve("config.json"));
        return new LinkedHashMap<>(Safetensors.read(golden.dir().resolve("weights.safetensors")));
    }

    private static void assertStepOneMatches(GoldenCase golden, ReasoningModel model) {
        try (NDManager manager = model.manager().newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ActModel act = new ActModel(model);
            NDArray inputs = golden.array(manager, "inputs");
            NDArray ids = golden.array(manager, "puzzle_identifiers");
            ActStep step = act.forward(act.initialCarry(inputs, ids), inputs, ids);
            assertClose(golden.floats("step1.logits"), step.logits().toFloatArray(), 1e-4, "step1.logits");
            assertClose(golden.floats("step1.q_halt"), step.qHalt().toFloatArray(), 1e-4, "step1.q_halt");
        }
    }
}
