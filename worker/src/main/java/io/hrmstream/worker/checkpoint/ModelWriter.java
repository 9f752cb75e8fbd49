package io.hrmstream.worker.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hrmstream.worker.model.ReasoningModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a model folder that {@link ModelLoader} and the official code can read: {@code weights.safetensors} (the
 * state_dict in float32 under the keys pretrain.py gives it, {@code _orig_mod.model.inner.*}) and
 * {@code config.json} (the official config field names, then {@code task}: the task the model was trained for, which
 * the official code ignores and {@link OpenedModel} reads).
 */
public final class ModelWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelWriter() {
    }

    /** The config.json field naming the task a model was trained for (not an official field). */
    public static final String TASK_FIELD = "task";

    /**
     * The config.json field giving the ACT steps the model is served with (not an official field; the trainer
     * writes none, a model card sets it from measurements): HRM and TRM keep improving past the
     * {@code halt_max_steps} they were trained with (the HRM paper's inference-time scaling), so a model may be
     * served with more. Absent: {@code halt_max_steps}.
     */
    public static final String SERVE_MAX_STEPS_FIELD = "serve_max_steps";

    /**
     * The config.json field giving the halting the model is served with when the user picks none ({@code act},
     * {@code fixed} or {@code threshold:P}, as {@code run --halting}; not an official field, a model card sets it
     * from measurements). Absent: {@code act}, the model's own q rule.
     */
    public static final String SERVE_HALTING_FIELD = "serve_halting";

    /** Writes {@code model}, trained for {@code task} (e.g. "sudoku"), into {@code dir}. */
    public static void save(ReasoningModel model, String task, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((key, array) -> tensors.put(WeightSource.OFFICIAL_PREFIX + key, HostTensor.of(array)));
        Safetensors.write(dir.resolve(ModelLoader.WEIGHTS_SAFETENSORS), tensors, Map.of("format", "pt"));
        Map<String, Object> config = new LinkedHashMap<>(model.config().toOfficialFields());
        config.put(TASK_FIELD, task);
        JSON.writeValue(dir.resolve(ModelLoader.CONFIG_JSON).toFile(), config);
    }
}
