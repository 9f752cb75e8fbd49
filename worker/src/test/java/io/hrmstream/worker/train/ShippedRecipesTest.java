package io.hrmstream.worker.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ModelConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recipes beside each shipped model (its MODEL.md's training commands) retrain that model, in stages. */
class ShippedRecipesTest {

    private static final Path SHIPPED = Path.of("src/main/resources/models");

    /** Each shipped model's folder and how many stages its MODEL.md trains it in. */
    static Stream<Arguments> shippedModels() {
        return Stream.of(Arguments.of("sudoku", 11), Arguments.of("maze", 2));
    }

    private static List<TrainConfig> stages(String model, int count) throws IOException {
        try (Stream<Path> files = Files.list(SHIPPED.resolve(model))) {
            List<Path> recipes = files.filter(f -> f.getFileName().toString().matches("recipe-stage\\d+\\.yaml"))
                    .sorted(Comparator.comparingInt(ShippedRecipesTest::stageNumber)).toList();
            assertEquals(count, recipes.size(), model + "'s MODEL.md trains in " + count + " stages: " + recipes);
            return recipes.stream().map(ShippedRecipesTest::read).toList();
        }
    }

    private static int stageNumber(Path recipe) {
        return Integer.parseInt(recipe.getFileName().toString().replaceAll("\\D", ""));
    }

    private static TrainConfig read(Path recipe) {
        try {
            return TrainConfig.read(recipe);
        } catch (IOException e) {
            throw new AssertionError(recipe + " does not read as a recipe", e);
        }
    }

    @ParameterizedTest
    @MethodSource("shippedModels")
    void everyStageTrainsTheShippedTensorsAndTheLastOneTheShippedConfig(String model, int count) throws IOException {
        Map<String, Object> fields = new ObjectMapper().readValue(SHIPPED.resolve(model).resolve("config.json").toFile(),
                new TypeReference<>() { });
        ModelConfig shipped = ModelConfig.fromOfficialFields(Architecture.HRM_ACT_V1, fields);
        List<TrainConfig> stages = stages(model, count);
        for (TrainConfig stage : stages) {
            // a stage may train with other ACT steps than the one before it (load_checkpoint keeps only weights),
            // and with more layers (its checkpoint grown by hrm_grow_layers.py): every other shape is the shipped one
            assertEquals(tensorShapes(shipped), tensorShapes(stage.modelConfig()));
            assertTrue(stage.modelConfig().hLayers() <= shipped.hLayers()
                    && stage.modelConfig().lLayers() <= shipped.lLayers(), "layers only grow toward the shipped");
            assertEquals(model, stage.data().task());
        }
        ModelConfig last = stages.get(stages.size() - 1).modelConfig();
        assertEquals(shipped, last, "the last stage trains what ships");
    }

    /** What decides the weights' names and shapes, but for the layer counts, which growing may raise. */
    private static List<Object> tensorShapes(ModelConfig c) {
        return List.of(c.architecture(), c.seqLen(), c.vocabSize(), c.puzzleEmbNdim(), c.numPuzzleIdentifiers(),
                c.hiddenSize(), c.numHeads(), c.expansion(), c.posEncodings());
    }

    @ParameterizedTest
    @MethodSource("shippedModels")
    void eachStageContinuesThePreviousOneEitherResumingItsRunOrStartingFromItsWeights(String model, int count)
            throws IOException {
        List<TrainConfig> stages = stages(model, count);
        for (int i = 1; i < stages.size(); i++) {
            TrainConfig before = stages.get(i - 1);
            TrainConfig stage = stages.get(i);
            boolean grows = stage.modelConfig().hLayers() != before.modelConfig().hLayers()
                    || stage.modelConfig().lLayers() != before.modelConfig().lLayers();
            assertTrue(stage.modelConfig().hLayers() >= before.modelConfig().hLayers()
                    && stage.modelConfig().lLayers() >= before.modelConfig().lLayers(), "stage " + (i + 1) + " shrinks");
            // a deeper stage cannot resume: it loads hrm_grow_layers.py's folder, made in the previous stage's run
            assertTrue(!grows || stage.loadCheckpoint() != null, "stage " + (i + 1) + " grows, so it loads weights");
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
