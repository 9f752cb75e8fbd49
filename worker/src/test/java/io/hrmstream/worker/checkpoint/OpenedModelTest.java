package io.hrmstream.worker.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hrmstream.puzzles.PuzzleTasks;
import io.hrmstream.worker.engine.Halting;
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
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How every command opens a model: its task (override, recorded, by vocabulary) and the name solutions carry. */
class OpenedModelTest {

    private static final ModelConfig SMALL_SUDOKU = ModelConfig.builder(Architecture.HRM_ACT_V1)
            .hidden_size(32).num_heads(2).H_layers(1).L_layers(1).vocab_size(11).seq_len(81).build();

    @Test
    void aFolderRecordsItsTaskAndIsNamedAfterItselfWithADigestOfItsWeights(@TempDir Path dir) throws IOException {
        save(SMALL_SUDOKU, 1, "sudoku", dir.resolve("my-model"));
        save(SMALL_SUDOKU, 2, "sudoku", dir.resolve("other-seed"));

        try (OpenedModel a = open(dir.resolve("my-model"), Optional.empty());
             OpenedModel again = open(dir.resolve("my-model"), Optional.empty());
             OpenedModel b = open(dir.resolve("other-seed"), Optional.empty())) {
            assertEquals("sudoku", a.task().name());
            assertEquals("my-model", a.name());
            assertTrue(a.digest().matches("[0-9a-f]{8}"), a.digest());
            assertEquals(a.digest(), again.digest(), "the same weights, the same digest");
            assertNotEquals(a.digest(), b.digest(), "other weights, another digest");
            assertEquals("my-model@" + a.digest(), a.qualifiedName());
        }
    }

    @Test
    void aTaskWhoseVocabularyIsNotTheModelsFailsAtOpenNamingBoth(@TempDir Path dir) throws IOException {
        save(SMALL_SUDOKU, 1, "sudoku", dir);
        final IOException e = assertThrows(IOException.class, () -> open(dir, PuzzleTasks.forName("maze")));
        assertTrue(e.getMessage().contains("vocabulary of 11 tokens (sudoku's)")
                && e.getMessage().contains("maze puzzles are encoded in 6"), e.getMessage());
    }

    @Test
    void aFolderThatRecordsNoTaskIsMatchedByItsVocabulary(@TempDir Path dir) throws IOException {
        final GoldenCase golden = GoldenCase.load("hrm-rope");
        Files.writeString(dir.resolve("all_config.yaml"), ModelLoaderTest.HRM_ROPE_ALL_CONFIG);
        Files.copy(golden.dir().resolve("checkpoint.pt"), dir.resolve("checkpoint"));
        try (OpenedModel official = open(dir, Optional.empty())) {
            assertEquals("sudoku", official.task().name(), "11 tokens: sudoku's vocabulary");
            assertEquals(81, official.model().config().seqLen(), "and sudoku's official length");
        }
    }

    private static void saveSmallSudokuModelTrainedWithFourSteps(Path dir) throws IOException {
        final ModelConfig config = ModelConfig.builder(Architecture.HRM_ACT_V1).hidden_size(32).num_heads(2)
                .H_layers(1).L_layers(1).vocab_size(11).seq_len(81).halt_max_steps(4).build();
        save(config, 7, "sudoku", dir);
    }

    @Test
    void aFolderMayServeMoreStepsThanItsModelWasTrainedWith(@TempDir Path dir) throws IOException {
        saveSmallSudokuModelTrainedWithFourSteps(dir);
        try (OpenedModel trained = open(dir, Optional.empty())) {
            assertEquals(4, trained.serveMaxSteps(), "no serve_max_steps: halt_max_steps");
        }
        final ObjectNode json = (ObjectNode) new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        json.put(ModelWriter.SERVE_MAX_STEPS_FIELD, 16);
        new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), json);
        try (OpenedModel longer = open(dir, Optional.empty())) {
            assertEquals(16, longer.serveMaxSteps());
            assertEquals(4, longer.model().config().haltMaxSteps());
        }
        json.put(ModelWriter.SERVE_MAX_STEPS_FIELD, 0);
        new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), json);
        final IOException zero = assertThrows(IOException.class, () -> open(dir, Optional.empty()));
        assertTrue(zero.getMessage().contains("serve_max_steps must be a whole number >= 1, was 0"), zero.getMessage());
    }

    @Test
    void aFolderMayNameTheHaltingItIsServedWithWhereTheUserPicksNone(@TempDir Path dir) throws IOException {
        saveSmallSudokuModelTrainedWithFourSteps(dir);
        try (OpenedModel trained = open(dir, Optional.empty())) {
            assertEquals(Halting.ACT, trained.serveHalting(), "no serve_halting: the model's own q rule");
        }
        final ObjectNode json = (ObjectNode) new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        json.put(ModelWriter.SERVE_HALTING_FIELD, "threshold:0.98");
        new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), json);
        try (OpenedModel confident = open(dir, Optional.empty())) {
            assertEquals(Halting.parse("threshold:0.98"), confident.serveHalting());
        }
        json.put(ModelWriter.SERVE_HALTING_FIELD, "threshold:1.5");
        new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), json);
        final IOException bad = assertThrows(IOException.class, () -> open(dir, Optional.empty()));
        assertTrue(bad.getMessage().contains("serve_halting") && bad.getMessage().contains("(0, 1)"), bad.getMessage());
    }

    @Test
    void theShippedSudokuModelRecordsItsTask() throws IOException {
        try (OpenedModel shipped = OpenedModel.openResource("/models/sudoku", "hrm-sudoku", ComputeDevice.cpu())) {
            assertEquals("sudoku", shipped.task().name());
            assertTrue(shipped.qualifiedName().matches("hrm-sudoku@[0-9a-f]{8}"), shipped.qualifiedName());
        }
    }

    @Test
    void theShippedMazeModelRecordsItsTaskAndTakesSevenBySevenMazes() throws IOException {
        try (OpenedModel shipped = OpenedModel.openResource("/models/maze", "hrm-maze", ComputeDevice.cpu())) {
            assertEquals("maze", shipped.task().name());
            assertEquals(7 * 7, shipped.model().config().seqLen(), "the card's domain: 7x7 mazes");
            assertTrue(shipped.qualifiedName().matches("hrm-maze@[0-9a-f]{8}"), shipped.qualifiedName());
        }
    }

    private static OpenedModel open(final Path dir, final Optional<io.hrmstream.puzzles.PuzzleTask> task)
            throws IOException {
        return OpenedModel.open(dir, ComputeDevice.cpu(), task, OptionalInt.empty());
    }

    private static void save(final ModelConfig config, final long seed, final String task, final Path dir)
            throws IOException {
        try (ReasoningModel model = ReasoningModel.randomlyInitialised(config, seed, ComputeDevice.cpu())) {
            ModelWriter.save(model, task, dir);
        }
    }
}
