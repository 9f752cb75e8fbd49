package io.hrmstream.worker.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ModelConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recipes beside the shipped model (its MODEL.md's training commands) retrain that model: one run, in stages. */
class ShippedRecipesTest {

    private static final Path SHIPPED = Path.of("src/main/resources/models/sudoku");

    private static List<TrainConfig> stages() throws IOException {
        try (Stream<Path> files = Files.list(SHIPPED)) {
            List<Path> recipes = files.filter(f -> f.getFileName().toString().matches("recipe-stage\\d+\\.yaml"))
                    .sorted().toList();
            assertEquals(7, recipes.size(), "MODEL.md trains in seven stages: " + recipes);
            return recipes.stream().map(ShippedRecipesTest::read).toList();
        }
    }

    private static TrainConfig read(Path recipe) {
        try {
            return TrainConfig.read(recipe);
        } catch (IOException e) {
            throw new AssertionError(recipe + " does not read as a recipe", e);
        }
    }

    @Test
    void everyStageTrainsTheArchitectureOfTheShippedConfig() throws IOException {
        Map<String, Object> fields = new ObjectMapper().readValue(SHIPPED.resolve("config.json").toFile(),
                new TypeReference<>() { });
        ModelConfig shipped = ModelConfig.fromOfficialFields(Architecture.HRM_ACT_V1, fields);
        for (TrainConfig stage : stages()) {
            assertEquals(shipped, stage.modelConfig());
        }
    }

    @Test
    void eachStageContinuesThePreviousOneEitherResumingItsRunOrStartingFromItsWeights() throws IOException {
        List<TrainConfig> stages = stages();
        for (int i = 1; i < stages.size(); i++) {
            TrainConfig before = stages.get(i - 1);
            TrainConfig stage = stages.get(i);
            if (stage.loadCheckpoint() == null) {   // --resume of the same run
                assertEquals(before.output(), stage.output(), "stage " + (i + 1) + " resumes the same run folder");
                assertEquals(before.seed(), stage.seed(), "stage " + (i + 1) + " keeps the run's seed");
                assertTrue(stage.steps() > before.steps(), "stage " + (i + 1) + " ends after stage " + i);
            } else {                                // a new run from the previous stage's weights
                assertTrue(stage.loadCheckpoint().startsWith(before.output() + "/"),
                        "stage " + (i + 1) + " starts from stage " + i + "'s run: " + stage.loadCheckpoint());
                assertTrue(!stage.output().equals(before.output()), "stage " + (i + 1) + " writes a run of its own");
            }
        }
    }
}
