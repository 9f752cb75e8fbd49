package io.hrmstream.worker.train;

import io.hrmstream.worker.checkpoint.ModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A few dozen steps of the real training loop on a tiny sudoku model: the loss falls, checkpoints resume. */
class TrainingSmokeTest {

    private static TrainConfig tinyRecipe(Path out, int steps) {
        return tinyRecipe(out, steps, 20);
    }

    private static TrainConfig tinyRecipe(Path out, int steps, int evalEvery) {
        return tinyRecipe(out, steps, evalEvery, 1e-2, 32, null);
    }

    private static TrainConfig tinyRecipe(Path out, int steps, int evalEvery, double lr, int hidden, Path init) {
        Map<String, Object> arch = new java.util.LinkedHashMap<>();
        arch.put("name", "hrm_act_v1");
        arch.putAll(Map.of("hidden_size", hidden, "num_heads", 2, "expansion", 2, "H_layers", 1, "L_layers", 1,
                "H_cycles", 1, "L_cycles", 2, "pos_encodings", "rope", "halt_max_steps", 3, "halt_exploration_prob", 0.1));
        return new TrainConfig(arch,
                new TrainConfig.Data("sudoku", 60, 70, null, null, null, null),
                16, steps, 5L,
                new TrainConfig.Optimizer(lr, 5, "cosine", 0.1, null, 0.0, null, null, null),
                new TrainConfig.Eval(evalEvery, 16, 99L, null), 20, 2, out.toString(),
                init == null ? null : init.toString());
    }

    @Test
    void lossFallsOverFortyStepsAndTheRunResumesFromItsCheckpoint(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        TrainingRun.Outcome outcome = new TrainingRun(tinyRecipe(dir, 40), quiet).run(false);

        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        double early = meanLmLoss(lines, 1, 5);
        double late = meanLmLoss(lines, 36, 40);
        assertTrue(late < early - 0.1, "lm loss should fall: first five steps " + early + ", last five " + late);
        assertTrue(Files.isRegularFile(dir.resolve("last/weights.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve("last/optimizer.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve("best/config.json")));
        assertEquals(40, outcome.steps());

        TrainingRun.Outcome resumed = new TrainingRun(tinyRecipe(dir, 44), quiet).run(true);
        assertEquals(44, resumed.steps());
        assertEquals(44, Files.readAllLines(dir.resolve("metrics.jsonl")).stream()
                .filter(l -> l.contains("\"lr\"")).count(), "4 more step lines after the resume");
    }

    @Test
    void aRunResumesFromACheckpointWrittenBeforeItsFirstEvaluation(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        new TrainingRun(tinyRecipe(dir, 20, 1000), quiet).run(false);
        assertTrue(Files.isRegularFile(dir.resolve("last/trainer.json")));

        TrainingRun.Outcome resumed = new TrainingRun(tinyRecipe(dir, 22, 1000), quiet).run(true);
        assertEquals(22, resumed.steps());
    }

    @Test
    void aRunWithLoadCheckpointStartsFromThoseWeightsAndRejectsOtherShapes(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Path pretrained = dir.resolve("pretrained");
        new TrainingRun(tinyRecipe(pretrained, 20, 1000), quiet).run(false);

        Path fineTuned = dir.resolve("fine-tuned");
        new TrainingRun(tinyRecipe(fineTuned, 1, 1000, 1e-6, 32, pretrained.resolve("last")), quiet).run(false);
        var before = ModelLoader.readWeights(pretrained.resolve("last"));
        var after = ModelLoader.readWeights(fineTuned.resolve("last"));
        assertEquals(before.keySet(), after.keySet());
        for (String key : before.keySet()) {
            // one Adam step moves a weight by about lr (1e-6); a random start would differ by ~0.1
            assertArrayEquals(before.get(key).toFloats(), after.get(key).toFloats(), 1e-5f,
                    key + ": the run starts from the loaded weights");
        }

        IllegalArgumentException wrongShape = assertThrows(IllegalArgumentException.class, () ->
                new TrainingRun(tinyRecipe(dir.resolve("wrong"), 1, 1000, 1e-6, 16, pretrained.resolve("last")), quiet)
                        .run(false));
        assertTrue(wrongShape.getMessage().contains("shape"), wrongShape.getMessage());
    }

    private static double meanLmLoss(List<String> lines, int fromStep, int toStep) throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        double sum = 0;
        int n = 0;
        for (String line : lines) {
            var node = json.readTree(line);
            if (!node.has("metrics")) continue;
            int step = node.get("step").asInt();
            if (step >= fromStep && step <= toStep) {
                sum += node.get("metrics").get("lmLoss").asDouble();
                n++;
            }
        }
        return sum / n;
    }
}
