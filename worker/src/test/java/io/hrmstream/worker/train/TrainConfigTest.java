package io.hrmstream.worker.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The recipe fields of the weight EMA and the puzzle-embedding sign-SGD: names, defaults, checks. */
class TrainConfigTest {

    @Test
    void emaAndPuzzleEmbeddingFieldsReadUnderOptimizerAndRoundTrip(@TempDir Path dir) throws Exception {
        Path recipe = dir.resolve("recipe.yaml");
        Files.writeString(recipe, """
                arch: {name: trm}
                optimizer:
                  lr: 1.0e-4
                  puzzle_emb_lr: 0.02
                  puzzle_emb_weight_decay: 0.5
                  ema: 0.999
                """);
        TrainConfig config = TrainConfig.read(recipe);
        assertEquals(0.02, config.optimizer().puzzleEmbLr());
        assertEquals(0.5, config.optimizer().puzzleEmbWeightDecay());
        assertEquals(0.999, config.optimizer().ema());

        Files.writeString(recipe, config.toYaml());
        assertEquals(config.optimizer(), TrainConfig.read(recipe).optimizer(), "recipe.yaml of a run reads back");
    }

    @Test
    void withoutTheFieldsThereIsNoEmaAndTheOfficialPuzzleEmbeddingDefaults(@TempDir Path dir) throws Exception {
        Path recipe = dir.resolve("recipe.yaml");
        Files.writeString(recipe, "optimizer: {lr: 1.0e-3}\n");
        TrainConfig.Optimizer optimizer = TrainConfig.read(recipe).optimizer();
        assertNull(optimizer.ema());
        assertEquals(1e-2, optimizer.puzzleEmbLr());
        assertEquals(0.1, optimizer.puzzleEmbWeightDecay());
        assertEquals(1e-2, optimizer.puzzleEmbSchedule(1000).at(200), 1e-12, "lr's schedule shape at its own peak");

        assertThrows(IllegalArgumentException.class, () ->
                new TrainConfig.Optimizer(null, null, null, null, null, null, null, null, null, null, null, 1.0));
        assertThrows(IllegalArgumentException.class, () ->
                new TrainConfig.Optimizer(null, null, null, null, null, null, null, null, null, -1.0, null, null));
    }
}
