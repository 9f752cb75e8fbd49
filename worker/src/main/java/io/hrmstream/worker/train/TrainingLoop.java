package io.hrmstream.worker.train;

import ai.djl.ndarray.NDArray;
import io.hrmstream.worker.model.ReasoningModel;
import me.tongfei.progressbar.ProgressBar;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step loop of one training run over resources {@link TrainingRun} opened: each step trains one batch, moves the
 * weight EMA (if the recipe has one) and appends its metrics; every eval.every steps (and at the end) the held-out
 * puzzles are scored and the best weights kept; every checkpoint_every steps (and at the end) a resumable checkpoint
 * is written. Evaluation and the saved model folders see the published weights: the EMA's, else the trained ones.
 */
final class TrainingLoop {

    /** Non-finite losses in a row after which the weights are presumed broken and the run stops. */
    static final int MAX_SKIPPED_IN_A_ROW = 3;

    private final TrainConfig config;
    private final RunFolder folder;
    private final PrintStream log;
    private final ActTrainer trainer;
    private final ReasoningModel model;
    private final AdamW optimizer;
    private final EmaWeights ema;             // null: the trained weights are published
    private final Map<String, NDArray> parameters;
    private final Writer metrics;
    private final ProgressBar bar;
    private final List<TrainingExample> heldOut;
    private final LrSchedule schedule;
    private final int total;
    private final ExponentialAverage loss = new ExponentialAverage(0.05);
    private final ExponentialAverage exact = new ExponentialAverage(0.05);
    private int skippedInARow;
    private StepMetrics first;
    private StepMetrics last;
    private double bestScore;
    private HeldOutEvaluation.Result best;

    /**
     * @param ema       the average of the weights to publish, or null to publish the trained ones
     * @param bestScore the best held-out score so far: a resumed run's, else negative infinity
     */
    TrainingLoop(TrainConfig config, RunFolder folder, PrintStream log, ActTrainer trainer, AdamW optimizer,
                 EmaWeights ema, Writer metrics, ProgressBar bar, List<TrainingExample> heldOut, double bestScore) {
        this.config = config;
        this.folder = folder;
        this.log = log;
        this.trainer = trainer;
        this.model = trainer.model();
        this.optimizer = optimizer;
        this.ema = ema;
        this.parameters = model.parameters();
        this.metrics = metrics;
        this.bar = bar;
        this.heldOut = heldOut;
        this.total = config.steps();
        this.schedule = config.optimizer().schedule(total);
        this.bestScore = bestScore;
    }

    /** Trains from {@code startStep} to the recipe's last step. */
    TrainingRun.Outcome run(int startStep) throws IOException {
        for (int step = startStep; step < total; step++) {
            trainStep(step);
            int done = step + 1;
            if (evaluationDue(done)) evaluate(done);
            if (done % config.checkpointEvery() == 0 || done == total) checkpoint(done);
        }
        return new TrainingRun.Outcome(total, first, last, best);
    }

    /** One optimizer step: a skipped update is logged (and too many in a row end the run), then the metrics. */
    private void trainStep(int step) throws IOException {
        last = trainer.step(step);
        if (last.updateSkipped()) {
            log.printf("%nstep %d: %s: update skipped, carry reset%n", step + 1, last.skipReason());
            if (++skippedInARow >= MAX_SKIPPED_IN_A_ROW) {
                throw new IllegalStateException("training step " + (step + 1) + ": " + skippedInARow
                        + " skipped updates in a row; resume from the last checkpoint");
            }
        } else {
            skippedInARow = 0;
        }
        if (ema != null && !last.updateSkipped()) ema.update(parameters);
        if (first == null) first = last;
        loss.add(last.lmLoss());
        exact.add(last.exactAccuracy());
        bar.step();
        bar.setExtraMessage(String.format(" loss %.3f exact %.3f", loss.value(), exact.value()));
        metrics.write(RunFolder.metricsLine(metricsLine(step + 1, schedule.at(step), last)));
    }

    private boolean evaluationDue(int done) {
        return config.eval().every() > 0 && (done % config.eval().every() == 0 || done == total);
    }

    /** Scores the held-out puzzles; a better score than any before replaces best/. */
    private void evaluate(int done) throws IOException {
        metrics.flush();
        ReasoningModel published = publishedModel();
        try {
            HeldOutEvaluation.Result r = HeldOutEvaluation.run(published, heldOut, 128);
            log.printf("%nstep %d held-out: fixed exact %.4f cells %.4f | act exact %.4f steps %.2f%n",
                    done, r.fixedExact(), r.fixedCells(), r.actExact(), r.actSteps());
            metrics.write(RunFolder.metricsLine(Map.of("step", done, "eval", r)));
            double score = score(r);
            if (score > bestScore) {
                bestScore = score;
                best = r;
                folder.saveBest(published, r, done);
            }
        } finally {
            release(published);
        }
    }

    /** Rewrites last/; the metrics are flushed first so that they cover at least the checkpoint's steps. */
    private void checkpoint(int done) throws IOException {
        metrics.flush();
        ReasoningModel published = publishedModel();
        try {
            folder.saveCheckpoint(published, model, optimizer, done, bestScore, config.seed());
        } finally {
            release(published);
        }
    }

    /** The weights that are evaluated and saved as the model: a copy with the EMA's weights, else the trained model. */
    private ReasoningModel publishedModel() {
        return ema == null ? model : ema.averagedModel(model);
    }

    /** Frees a copy from {@link #publishedModel()}; the trained model stays open. */
    private void release(ReasoningModel published) {
        if (published != model) published.close();
    }

    /** Best-checkpoint score: ACT exact accuracy, ties (e.g. all 0 early on) broken by per-cell accuracy. */
    static double score(HeldOutEvaluation.Result r) {
        return r.actExact() + 1e-3 * r.fixedCells();
    }

    private static Map<String, Object> metricsLine(int step, double lr, StepMetrics m) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", step);
        line.put("lr", lr);
        line.put("metrics", m);
        return line;
    }
}
