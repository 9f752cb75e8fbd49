package io.hrmstream.worker.cli;

import io.hrmstream.worker.checkpoint.OpenedModel;
import io.hrmstream.worker.engine.ContinuousBatchingEngine;
import io.hrmstream.worker.engine.EngineConfig;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.Halting;
import io.hrmstream.worker.engine.ResidentSlotBatch;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.ops.WorkerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

/**
 * The models {@code run} serves, one per task, each with its own engine (slot batch and inference thread), which
 * every stream task and thread of the JVM shares through the {@link EngineRoster}. Closing closes each engine (it
 * closes its slot batch), then its model.
 */
final class ServedModels implements AutoCloseable {

    // logged under run's name: operators read these lines as run's, as they always were
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    private final List<OpenedModel> models;
    private final List<ContinuousBatchingEngine> engines;
    private final EngineRoster roster;

    private ServedModels(final List<OpenedModel> models, final List<ContinuousBatchingEngine> engines) {
        this.models = models;
        this.engines = engines;
        this.roster = EngineRoster.of(engines);
    }

    /**
     * Opens what {@code options} name (the --model folders, else the shipped models) and starts an engine on each;
     * bad flags are a {@link CommandLine.ParameterException} of {@code commandLine}.
     *
     * @param halting the --halting flag, or null: each model's own serve_halting
     */
    static ServedModels start(final CommandLine commandLine, final ModelOptions options, final int batch,
                              final Halting halting, final int maxStepsCeiling, final WorkerMetrics metrics)
            throws IOException {
        final ComputeDevice on = options.device(commandLine);
        final List<OpenedModel> opened = options.openServed(on, commandLine);
        final List<ContinuousBatchingEngine> engines = new ArrayList<>();
        try {
            for (final OpenedModel model : opened) {
                final Halting served = halting != null ? halting : model.serveHalting();   // the flag, else the folder's
                final ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(
                        new ResidentSlotBatch(model.model(), batch, model.qualifiedName(), model.task().name()),
                        EngineConfig.defaults().withHalting(served,
                                maxStepsCeiling > 0 ? maxStepsCeiling : model.serveMaxSteps()),
                        ForkJoinPool.commonPool(), metrics.stepListener());
                engines.add(engine);
                log.info("Model {} ({}, {} tokens, trained with halt_max_steps {}) on {} with {} slots; halting {}, "
                                + "step cap {} (of a request that sets none, and the most one may ask)",
                        model.qualifiedName(),
                        model.task().name(), model.model().config().seqLen(), model.model().config().haltMaxSteps(),
                        on, batch, served, engine.stepCeiling());
            }
            return new ServedModels(opened, engines);
        } catch (final RuntimeException e) {
            engines.forEach(ContinuousBatchingEngine::close);
            opened.forEach(OpenedModel::close);
            throw e;
        }
    }

    /** The engines by task, for the stream processor, metrics and health. */
    EngineRoster roster() {
        return roster;
    }

    @Override
    public void close() {
        engines.forEach(ContinuousBatchingEngine::close);
        models.forEach(OpenedModel::close);
    }
}
