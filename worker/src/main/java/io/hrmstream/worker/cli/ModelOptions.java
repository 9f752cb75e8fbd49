package io.hrmstream.worker.cli;

import io.hrmstream.puzzles.PuzzleTask;
import io.hrmstream.puzzles.PuzzleTasks;
import io.hrmstream.worker.checkpoint.OpenedModel;
import io.hrmstream.worker.model.ComputeDevice;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The options of every command that opens a model ({@code run}, {@code eval}, {@code bench}, {@code forward},
 * {@code train}): one spelling, one environment variable and one help text each, and one way to open the model
 * ({@link OpenedModel}). A command whose job needs another batch default passes it to the constructor, and its
 * {@code --help} shows it.
 */
public final class ModelOptions {

    @Option(names = "--model", paramLabel = "DIR", split = ",", defaultValue = "${env:HRM_MODEL_DIR}",
            description = "Model folder: config.json with weights.safetensors, or an official checkpoint folder "
                    + "(all_config.yaml with checkpoint or step_N). run serves one model per task: repeat it "
                    + "(or comma-separate) to serve several; default: the shipped models (env HRM_MODEL_DIR).")
    List<Path> modelDirs = new ArrayList<>();

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "${env:HRM_TASK}",
            description = "The task the model answers: sudoku, maze or arc. Default: the task the model folder "
                    + "records, else the one whose vocabulary the model has (env HRM_TASK). With several --model "
                    + "each folder names its own; without --model, run serves only the shipped model of TASK.")
    String task;

    @Option(names = "--seq-len", paramLabel = "N",
            description = "Input tokens per puzzle, for an official checkpoint folder (all_config.yaml) whose tensors "
                    + "do not fix it (RoPE); else a dataset.json beside it, else the task's official length is used.")
    Integer seqLen;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "${env:HRM_DEVICE:-cpu}",
            description = "cpu, gpu or gpu:N, optionally :f16/:f32 (env HRM_DEVICE; default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "${env:HRM_THREADS}",
            description = "libtorch intra-op threads (env HRM_THREADS; default: libtorch's choice).")
    Integer threads;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "${env:HRM_BATCH}",
            description = "Slots of the engine's resident batch: puzzles stepped together (env HRM_BATCH; "
                    + "default: run and bench 64, eval 128; forward takes its batch from its --inputs).")
    Integer batch;

    /** The models of {@code run} when no --model is given: every model shipped in the jar, by resource folder. */
    static final List<String> SHIPPED_MODELS = List.of("/models/sudoku", "/models/maze");

    /** The slots when {@code --batch} is not given: the command's own default. */
    int batch(final int commandDefault, final CommandLine commandLine) {
        final int slots = batch == null ? commandDefault : batch;
        if (slots < 1) {
            throw new ParameterException(commandLine, "--batch must be >= 1, was " + slots);
        }
        return slots;
    }

    /** The device, checked to be usable here; libtorch's threads set when --threads was given. */
    ComputeDevice device(final CommandLine commandLine) {
        final ComputeDevice on;
        try {
            on = ComputeDevice.parse(device).requireAvailable();
        } catch (final IllegalArgumentException | IllegalStateException e) {
            throw new ParameterException(commandLine, "--device: " + e.getMessage());
        }
        if (threads != null) {
            if (threads < 1) {
                throw new ParameterException(commandLine, "--threads must be >= 1, was " + threads);
            }
            ComputeDevice.setIntraOpThreads(threads);
        }
        return on;
    }

    /** The --task override, checked. */
    Optional<PuzzleTask> taskOverride(final CommandLine commandLine) {
        if (task == null) {
            return Optional.empty();
        }
        return Optional.of(PuzzleTasks.forName(task).orElseThrow(() -> new ParameterException(commandLine,
                "--task: unknown task '" + task + "' (known: " + PuzzleTasks.names() + ")")));
    }

    /** The one --model of a command that opens one; {@code required}: the command has no default model. */
    Optional<Path> singleModelDir(final CommandLine commandLine, final boolean required) {
        if (modelDirs.size() > 1) {
            throw new ParameterException(commandLine, commandLine.getCommandName() + " opens one model; got "
                    + modelDirs.size() + " --model folders");
        }
        if (required && modelDirs.isEmpty()) {
            throw new ParameterException(commandLine, "--model DIR is required");
        }
        return modelDirs.stream().findFirst();
    }

    /** Opens the model folder {@code dir} on {@code on} with this command's --task and --seq-len. */
    OpenedModel open(final Path dir, final ComputeDevice on, final CommandLine commandLine) throws IOException {
        return OpenedModel.open(dir, on, taskOverride(commandLine),
                seqLen == null ? OptionalInt.empty() : OptionalInt.of(seqLen));
    }

    /**
     * What {@code run} serves: the --model folders, else every shipped model (with --task: the shipped model of that
     * task). --task overrides a single folder's task only (with several, each records its own). Opened in order; on
     * a failure the ones opened are closed.
     */
    List<OpenedModel> openServed(final ComputeDevice on, final CommandLine commandLine) throws IOException {
        if (task != null && modelDirs.size() > 1) {
            throw new ParameterException(commandLine, "--task overrides the task of one --model folder; with "
                    + modelDirs.size() + " folders each must record its own (config.json's \"task\")");
        }
        final List<OpenedModel> opened = new ArrayList<>();
        try {
            if (modelDirs.isEmpty()) {
                final Optional<PuzzleTask> only = taskOverride(commandLine);
                for (final String resource : SHIPPED_MODELS) {
                    final String taskName = Path.of(resource).getFileName().toString();
                    if (OpenedModel.resourceExists(resource)
                            && only.map(t -> t.name().equals(taskName)).orElse(true)) {
                        opened.add(OpenedModel.openResource(resource, "hrm-" + taskName, on));
                    }
                }
                if (opened.isEmpty()) {
                    throw new ParameterException(commandLine, "--task " + task + ": no shipped model answers it; "
                            + "give --model DIR");
                }
            } else {
                for (final Path dir : modelDirs) {
                    opened.add(open(dir, on, commandLine));
                }
            }
        } catch (final IOException | RuntimeException e) {
            opened.forEach(OpenedModel::close);
            throw e;
        }
        return opened;
    }
}
