package io.hrmstream.worker.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.puzzles.data.HrmCsv;
import io.hrmstream.puzzles.data.LabeledPuzzle;
import io.hrmstream.puzzles.data.SudokuGenerator;
import io.hrmstream.puzzles.data.SudokuPuzzle;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.ReasoningModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The trainer's PyTorch twin ({@code src/main/python/hrm_gpu_train.py}) trains the model this worker serves: on the
 * same puzzles its float32 evaluation of the shipped sudoku weights halts at the same steps with the same answers as
 * the Java model, and the folder it writes loads here under the recipe's config. The folder its growing tool
 * ({@code hrm_grow_layers.py}) deepens answers here as the one it grew from. Runs on the CPU with Debian's
 * python3-torch; skipped where python3 lacks torch, numpy or PyYAML ({@code apt-get install python3-torch
 * python3-yaml}).
 */
@Tag("slow")   // a child Python process, about a minute on Debian's reference BLAS
class GpuTrainerTwinTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of("src/main/python/hrm_gpu_train.py");
    private static final Path GROW_SCRIPT = Path.of("src/main/python/hrm_grow_layers.py");
    private static final Path SHIPPED_SUDOKU = Path.of("src/main/resources/models/sudoku");
    private static final int PUZZLES = 8;

    @Test
    void theTwinEvaluatesTheShippedWeightsAsTheJavaModelDoesAndWritesAFolderThatLoads(@TempDir Path dir)
            throws Exception {
        assumeTrue(pythonHasTorch(), "python3 with torch, numpy and PyYAML is not installed");
        Path csv = dir.resolve("puzzles.csv");
        try (Writer out = Files.newBufferedWriter(csv); HrmCsv.Writer rows = HrmCsv.writer(out, "sudoku")) {
            SudokuGenerator generator = new SudokuGenerator(36, 50, 20261204);
            for (int i = 0; i < PUZZLES; i++) {
                SudokuPuzzle p = generator.next();
                rows.write(new LabeledPuzzle("twin-test", p.puzzleGrid(), p.solutionGrid(), p.rating()));
            }
        }
        // the shipped model's own shape and step count, so both sides run the same ACT steps
        JsonNode shipped = new ObjectMapper().readTree(SHIPPED_SUDOKU.resolve("config.json").toFile());
        Path recipe = Files.writeString(dir.resolve("recipe.yaml"), String.join("\n",
                "arch: {name: hrm_act_v1, pos_encodings: rope, halt_exploration_prob: 0.1,",
                "       hidden_size: " + shipped.get("hidden_size") + ", num_heads: " + shipped.get("num_heads")
                        + ", expansion: " + shipped.get("expansion") + ",",
                "       H_layers: " + shipped.get("H_layers") + ", L_layers: " + shipped.get("L_layers")
                        + ", H_cycles: " + shipped.get("H_cycles") + ", L_cycles: " + shipped.get("L_cycles") + ",",
                "       halt_max_steps: " + shipped.get("halt_max_steps") + "}",
                "data: {task: sudoku, csv: " + csv + "}",
                "batch_size: 4",
                "steps: 1",
                "seed: 5",
                "optimizer: {lr: 0.000001, ema: 0.999, warmup_steps: 1}",
                "eval: {every: 1000, puzzles: " + PUZZLES + ", csv: " + csv + "}",
                "output: " + dir.resolve("run"),
                "load_checkpoint: " + SHIPPED_SUDOKU.toAbsolutePath(),
                ""));

        Path log = dir.resolve("twin.log");
        Process python = new ProcessBuilder(PYTHON, SCRIPT.toString(), "--config", recipe.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(python.waitFor(10, TimeUnit.MINUTES), "the twin did not finish within 10 minutes");
        String printed = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, python.exitValue(), printed);
        JsonNode before = new ObjectMapper().readTree(printed.lines().filter(l -> l.startsWith("{\"step\": 0"))
                .findFirst().orElseThrow(() -> new AssertionError("no step-0 check in:\n" + printed)));

        List<TrainingExample> puzzles = new ArrayList<>();
        for (LabeledPuzzle p : ExampleSource.readCsv(csv, "sudoku")) puzzles.add(ExampleSource.labelled(p, "sudoku"));
        TrainConfig config = TrainConfig.read(recipe);
        try (ReasoningModel shippedModel = ModelLoader.load(SHIPPED_SUDOKU, ComputeDevice.cpu())) {
            HeldOutEvaluation.Result java = HeldOutEvaluation.run(shippedModel, puzzles, PUZZLES);
            assertEquals(java.actExact(), before.get("exact").asDouble(), 1e-9, printed);
            assertEquals(java.actSteps(), before.get("mean_steps").asDouble(), 1e-9, printed);
        }
        try (ReasoningModel trained = ModelLoader.load(dir.resolve("run/best"), ComputeDevice.cpu())) {
            assertEquals(config.modelConfig(), trained.config());
        }
    }

    @Test
    void aModelGrownByIdentityBlocksAnswersAsTheModelItGrewFrom(@TempDir Path dir) throws Exception {
        assumeTrue(pythonHasTorch(), "python3 with torch, numpy and PyYAML is not installed");
        List<TrainingExample> puzzles = new ArrayList<>();
        SudokuGenerator generator = new SudokuGenerator(36, 50, 20261205);
        for (int i = 0; i < PUZZLES; i++) {
            SudokuPuzzle p = generator.next();
            puzzles.add(ExampleSource.labelled(new LabeledPuzzle("grow-test", p.puzzleGrid(), p.solutionGrid(),
                    p.rating()), "sudoku"));
        }
        JsonNode shipped = new ObjectMapper().readTree(SHIPPED_SUDOKU.resolve("config.json").toFile());
        int hLayers = shipped.get("H_layers").asInt() + 1;
        int lLayers = shipped.get("L_layers").asInt() + 2;
        Path grown = dir.resolve("grown");
        Path log = dir.resolve("grow.log");
        Process python = new ProcessBuilder(PYTHON, GROW_SCRIPT.toString(), "--from", SHIPPED_SUDOKU.toString(),
                "--to", grown.toString(), "--H-layers", String.valueOf(hLayers), "--L-layers", String.valueOf(lLayers))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(python.waitFor(5, TimeUnit.MINUTES), "growing did not finish within 5 minutes");
        assertEquals(0, python.exitValue(), Files.readString(log, StandardCharsets.UTF_8));

        try (ReasoningModel from = ModelLoader.load(SHIPPED_SUDOKU, ComputeDevice.cpu());
             ReasoningModel to = ModelLoader.load(grown, ComputeDevice.cpu())) {
            assertEquals(hLayers, to.config().hLayers());
            assertEquals(lLayers, to.config().lLayers());
            HeldOutEvaluation.Result before = HeldOutEvaluation.run(from, puzzles, PUZZLES);
            HeldOutEvaluation.Result after = HeldOutEvaluation.run(to, puzzles, PUZZLES);
            assertEquals(before, after, "the appended blocks start as the identity");
        }
    }

    private static boolean pythonHasTorch() throws InterruptedException {
        try {
            Process probe = new ProcessBuilder(PYTHON, "-c", "import torch, numpy, yaml").redirectErrorStream(true).start();
            return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
