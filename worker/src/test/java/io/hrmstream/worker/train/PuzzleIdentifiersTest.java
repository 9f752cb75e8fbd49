package io.hrmstream.worker.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.puzzles.data.HrmCsv;
import io.hrmstream.puzzles.data.LabeledPuzzle;
import io.hrmstream.puzzles.data.SudokuGenerator;
import io.hrmstream.puzzles.data.SudokuPuzzle;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.checkpoint.Safetensors;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.PuzzleEmbedding;
import io.hrmstream.worker.model.ReasoningModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CSV sources become puzzle identifiers, and a CSV-trained model with a table trains the rows of its sources. */
class PuzzleIdentifiersTest {

    @Test
    void distinctSourcesAreNumberedFromOneInOrderOfFirstAppearanceUnknownOnesReadTheBlankRow() {
        PuzzleIdentifiers ids = PuzzleIdentifiers.of(Stream.of("kaggle", "hard", "kaggle", "17-clue"), 4, "test.csv");
        assertEquals(1, ids.of("kaggle"));
        assertEquals(2, ids.of("hard"));
        assertEquals(3, ids.of("17-clue"));
        assertEquals(0, ids.of("not in the training csv"));
        assertEquals(List.of(PuzzleIdentifiers.BLANK, "kaggle", "hard", "17-clue"), ids.names());
        assertEquals(0, PuzzleIdentifiers.NONE.of("kaggle"));

        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
                () -> PuzzleIdentifiers.of(Stream.of("a", "b", "c"), 3, "test.csv"));
        assertTrue(tooFew.getMessage().contains("num_puzzle_identifiers 3"), tooFew.getMessage());
    }

    @Test
    void aCsvTrainedModelWithATableTrainsTheRowsOfItsSourcesBySignSgd(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("train.csv");
        SudokuGenerator generator = new SudokuGenerator(60, 70, 7);
        try (Writer file = Files.newBufferedWriter(csv); HrmCsv.Writer rows = HrmCsv.writer(file, "sudoku")) {
            for (int i = 0; i < 8; i++) {
                SudokuPuzzle p = generator.next();
                rows.write(new LabeledPuzzle(i % 2 == 0 ? "kaggle" : "hard", p.puzzleGrid(), p.solutionGrid(), 0));
            }
        }
        ExampleSource source = ExampleSource.csv(csv, "sudoku", 1, PuzzleIdentifiers.ofCsv(csv, "sudoku", 4));
        Set<Integer> read = new HashSet<>();
        for (int i = 0; i < 20; i++) read.add(source.next().puzzleIdentifier());
        assertEquals(Set.of(1, 2), read, "the CSV's puzzles read the rows of their sources");

        Map<String, Object> arch = new LinkedHashMap<>();
        arch.put("name", "hrm_act_v1");
        arch.put("pos_encodings", "rope");
        arch.putAll(Map.of("hidden_size", 32, "num_heads", 2, "expansion", 2, "H_layers", 1, "L_layers", 1,
                "H_cycles", 1, "L_cycles", 1, "halt_max_steps", 2, "puzzle_emb_ndim", 32, "num_puzzle_identifiers", 4));
        Path out = dir.resolve("run");
        TrainConfig recipe = new TrainConfig(arch, new TrainConfig.Data("sudoku", null, null, null, null, null,
                csv.toString()), 8, 2, 5L,
                new TrainConfig.Optimizer(1e-3, 0, "cosine", 1.0, null, 0.0, null, null, null, 0.01, 0.1, null),
                new TrainConfig.Eval(1000, 4, 99L, null), 20, 2, out.toString(), null);
        new TrainingRun(recipe, new PrintStream(new ByteArrayOutputStream())).run(false);

        assertEquals(List.of(PuzzleIdentifiers.BLANK, "kaggle", "hard"),
                new ObjectMapper().readValue(out.resolve("identifiers.json").toFile(), List.class));
        try (ReasoningModel model = ModelLoader.load(out.resolve("last"), ComputeDevice.cpu())) {
            float[] table = model.stateDict().get(PuzzleEmbedding.WEIGHTS_KEY).toFloatArray();
            int width = 32;
            for (int row = 0; row < 4; row++) {
                float[] values = Arrays.copyOfRange(table, row * width, row * width + width);
                if (row == 1 || row == 2) {
                    assertFalse(Arrays.equals(new float[width], values), "row " + row + " (a source's) is trained");
                } else {
                    assertArrayEquals(new float[width], values, 0f, "row " + row + " is no source's: untouched");
                }
            }
        }
        assertTrue(Safetensors.read(out.resolve("last/optimizer.safetensors")).keySet().stream()
                .noneMatch(k -> k.contains("puzzle_emb")), "AdamW keeps no moments for the table");
    }
}
