package io.hrmstream.worker.cli;

import io.hrmstream.puzzles.PuzzleTasks;
import io.hrmstream.worker.checkpoint.InputLength;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.engine.ContinuousBatchingEngine;
import io.hrmstream.worker.engine.EngineConfig;
import io.hrmstream.worker.engine.Halting;
import io.hrmstream.worker.engine.ResidentSlotBatch;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.ReasoningModel;
import io.hrmstream.worker.ops.WorkerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.ForkJoinPool;

/**
 * The model {@code run} serves and the one engine on it, which every stream task and thread of the JVM shares.
 * The engine closes its slot batch; the model is closed after it.
 */
record ServedModel(ReasoningModel model, ContinuousBatchingEngine engine) implements AutoCloseable {

    // logged under run's name: operators read these lines as run's, as they always were
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    /** The model shipped in the jar (classpath resource folder) and the name its solutions carry. */
    private static final String SHIPPED_MODEL = "/models/sudoku";
    private static final String SHIPPED_MODEL_NAME = "hrm-sudoku";

    /**
     * Loads the model of {@code modelDir} (null: the shipped one) on {@code device} and starts an engine of
     * {@code batch} slots on it; bad flags are a {@link ParameterException} of {@code commandLine}.
     */
    static ServedModel load(final CommandLine commandLine, final Path modelDir, final String task, final String device,
                            final Integer threads, final int batch, final Integer seqLen, final Halting halting,
                            final int maxStepsCeiling, final WorkerMetrics metrics) throws IOException {
        if (PuzzleTasks.forName(task).isEmpty()) {
            throw new ParameterException(commandLine, "--task: unknown task '" + task + "' (known: "
                    + PuzzleTasks.names() + ")");
        }
        if (batch < 1) {
            throw new ParameterException(commandLine, "--batch must be >= 1, was " + batch);
        }
        final ComputeDevice on;
        try {
            on = ComputeDevice.parse(device).requireAvailable();
        } catch (final IllegalArgumentException | IllegalStateException e) {
            throw new ParameterException(commandLine, "--device: " + e.getMessage());
        }
        if (threads != null) {
            ComputeDevice.setIntraOpThreads(threads);
        }
        final String name = modelDir == null ? SHIPPED_MODEL_NAME : modelDir.toAbsolutePath().normalize().getFileName().toString();
        final ReasoningModel loaded = modelDir == null
                ? ModelLoader.loadResource(SHIPPED_MODEL, on)
                : ModelLoader.load(modelDir, on, new InputLength(
                        seqLen == null ? OptionalInt.empty() : OptionalInt.of(seqLen), PuzzleTasks.forName(task)));
        try {
            final ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(
                    new ResidentSlotBatch(loaded, batch, name, task),
                    EngineConfig.defaults().withHalting(halting, maxStepsCeiling), ForkJoinPool.commonPool(),
                    metrics.stepListener());
            log.info("Model {} ({}, {} tokens, halt_max_steps {}) on {} with {} slots; halting {}, step caps up "
                            + "to {}", name, task, loaded.config().seqLen(), loaded.config().haltMaxSteps(), on, batch,
                    halting, engine.stepCeiling());
            return new ServedModel(loaded, engine);
        } catch (final RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    @Override
    public void close() {
        engine.close();
        model.close();
    }
}
