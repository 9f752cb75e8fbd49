package io.hrmstream.worker.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.checkpoint.ModelWriter;
import io.hrmstream.worker.checkpoint.Safetensors;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.ModelConfig;
import io.hrmstream.worker.model.ReasoningModel;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A whole training run: the step loop with a progress bar, metrics lines, periodic held-out evaluation that keeps
 * the best weights, and resumable checkpoints.
 * <p>
 * Run folder: {@code last/} (model folder + {@code optimizer.safetensors} + {@code trainer.json}, rewritten every
 * checkpoint_every steps; the previous one stays as {@code last.old/} until the new one is complete), {@code best/}
 * (model folder of the best held-out ACT exact accuracy, ties broken by cell accuracy, with {@code eval.json}), {@code metrics.jsonl},
 * {@code recipe.yaml}. Resume restores weights, AdamW moments, the step and the best score; the puzzle stream is
 * re-seeded from (seed, step) and the carry restarts with every row halted, so a resumed run sees different (but
 * reproducible) puzzles than an uninterrupted one.
 */
public final class TrainingRun {

    static final String LAST = "last";
    static final String BEST = "best";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String TRAINER_FILE = "trainer.json";
    /** Non-finite losses in a row after which the weights are presumed broken and the run stops. */
    static final int MAX_SKIPPED_IN_A_ROW = 3;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final TrainConfig config;
    private final Path output;
    private final PrintStream log;

    public TrainingRun(TrainConfig config, PrintStream log) {
        this.config = config;
        this.output = Path.of(config.output());
        this.log = log;
    }

    /** The outcome: the last step's metrics and the best held-out result (null without evaluation). */
    public record Outcome(int steps, StepMetrics first, StepMetrics last, HeldOutEvaluation.Result best) {
    }

    public Outcome run(boolean resume) throws IOException {
        Files.createDirectories(output);
        Files.writeString(output.resolve("recipe.yaml"), config.toYaml());
        ModelConfig modelConfig = config.modelConfig();
        int total = config.steps();
        Path checkpoint = resume ? latestCheckpoint() : null;
        int startStep = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        HeldOutEvaluation.Result best = null;
        ReasoningModel model = startingModel(checkpoint, modelConfig);
        TrainConfig.Optimizer opt = config.optimizer();
        try (model; AdamW optimizer = new AdamW(model.manager(), opt.beta1(), opt.beta2(), opt.eps(), opt.weightDecay())) {
            if (checkpoint != null) {
                Map<?, ?> state = JSON.readValue(checkpoint.resolve(TRAINER_FILE).toFile(), Map.class);
                startStep = ((Number) state.get("step")).intValue();
                bestScore = state.get("best_score") instanceof Number n ? n.doubleValue() : Double.NEGATIVE_INFINITY;
                optimizer.load(Safetensors.read(checkpoint.resolve(OPTIMIZER_FILE)), startStep);
                log.printf("resumed from %s at step %d (best held-out score %.4f)%n", checkpoint, startStep, bestScore);
            }
            ExampleSource source = config.data().source(config.seed() * 1_000_003L + startStep);
            List<TrainingExample> heldOut = heldOut();
            StepMetrics first = null;
            StepMetrics last = null;
            try (ActTrainer trainer = new ActTrainer(model, source, optimizer, opt.schedule(total), config.batchSize(),
                    config.seed() * 31 + startStep);
                 Writer metrics = Files.newBufferedWriter(output.resolve("metrics.jsonl"),
                         StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                 ProgressBar bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(total)
                         .startsFrom(startStep, java.time.Duration.ZERO)
                         .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(2000).build()) {
                ExponentialAverage loss = new ExponentialAverage(0.05);
                ExponentialAverage exact = new ExponentialAverage(0.05);
                int skippedInARow = 0;
                for (int step = startStep; step < total; step++) {
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
                    if (first == null) first = last;
                    loss.add(last.lmLoss());
                    exact.add(last.exactAccuracy());
                    bar.step();
                    bar.setExtraMessage(String.format(" loss %.3f exact %.3f", loss.value(), exact.value()));
                    metrics.write(JSON.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(
                            metricsLine(step + 1, opt.schedule(total).at(step), last)) + "\n");
                    int done = step + 1;
                    boolean evalNow = config.eval().every() > 0 && (done % config.eval().every() == 0 || done == total);
                    if (evalNow) {
                        metrics.flush();
                        HeldOutEvaluation.Result r = HeldOutEvaluation.run(model, heldOut, 128);
                        log.printf("%nstep %d held-out: fixed exact %.4f cells %.4f | act exact %.4f steps %.2f%n",
                                done, r.fixedExact(), r.fixedCells(), r.actExact(), r.actSteps());
                        metrics.write(JSON.copy().disable(SerializationFeature.INDENT_OUTPUT)
                                .writeValueAsString(Map.of("step", done, "eval", r)) + "\n");
                        double score = score(r);
                        if (score > bestScore) {
                            bestScore = score;
                            best = r;
                            saveBest(model, r, done);
                        }
                    }
                    if (done % config.checkpointEvery() == 0 || done == total) {
                        metrics.flush();
                        saveCheckpoint(model, optimizer, done, bestScore);
                    }
                }
            }
            return new Outcome(total, first, last, best);
        }
    }

    /**
     * The weights the run starts from: its own checkpoint when resuming; else load_checkpoint's weights under the
     * recipe's config (a fine-tune may change halting fields, not shapes); else the official random initialisation.
     */
    private ReasoningModel startingModel(Path checkpoint, ModelConfig modelConfig) throws IOException {
        if (checkpoint != null) return ModelLoader.load(checkpoint, ComputeDevice.cpu());
        if (config.loadCheckpoint() != null) {
            return ReasoningModel.fromStateDict(modelConfig, ModelLoader.readWeights(Path.of(config.loadCheckpoint())),
                    ComputeDevice.cpu());
        }
        return ReasoningModel.randomlyInitialised(modelConfig, config.seed(), ComputeDevice.cpu());
    }

    /** Best-checkpoint score: ACT exact accuracy, ties (e.g. all 0 early on) broken by per-cell accuracy. */
    static double score(HeldOutEvaluation.Result r) {
        return r.actExact() + 1e-3 * r.fixedCells();
    }

    /** The held-out puzzles: from eval.csv, or generated from the training domain with the eval seed. */
    private List<TrainingExample> heldOut() throws IOException {
        TrainConfig.Eval eval = config.eval();
        if (eval.every() <= 0) return List.of();
        if (eval.csv() != null) {
            return ExampleSource.readCsv(Path.of(eval.csv()), config.data().task()).stream()
                    .map(p -> ExampleSource.labelled(p, config.data().task())).toList();
        }
        ExampleSource source = config.data().source(eval.seed());
        List<TrainingExample> out = new ArrayList<>();
        for (int i = 0; i < eval.puzzles(); i++) out.add(source.next());
        return out;
    }

    private static Map<String, Object> metricsLine(int step, double lr, StepMetrics m) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", step);
        line.put("lr", lr);
        line.put("metrics", m);
        return line;
    }

    private void saveBest(ReasoningModel model, HeldOutEvaluation.Result r, int step) throws IOException {
        Path tmp = output.resolve(BEST + ".tmp");
        deleteTree(tmp);
        ModelWriter.save(model, tmp);
        JSON.writeValue(tmp.resolve("eval.json").toFile(), Map.of("step", step, "eval", r));
        replace(tmp, output.resolve(BEST));
    }

    private void saveCheckpoint(ReasoningModel model, AdamW optimizer, int step, double bestScore) throws IOException {
        Path tmp = output.resolve(LAST + ".tmp");
        deleteTree(tmp);
        ModelWriter.save(model, tmp);
        Safetensors.write(tmp.resolve(OPTIMIZER_FILE), optimizer.state(), Map.of("step", String.valueOf(step)));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("step", step);
        state.put("best_score", Double.isFinite(bestScore) ? bestScore : null);   // null: no evaluation yet
        state.put("seed", config.seed());
        JSON.writeValue(tmp.resolve(TRAINER_FILE).toFile(), state);
        replace(tmp, output.resolve(LAST));
    }

    /** Swaps a finished folder in, keeping the previous one as .old until the swap is done. */
    private static void replace(Path finished, Path target) throws IOException {
        Path old = target.resolveSibling(target.getFileName() + ".old");
        deleteTree(old);
        if (Files.exists(target)) Files.move(target, old);
        Files.move(finished, target);
        deleteTree(old);
    }

    /** last/, or last.old/ when a run died while swapping checkpoints. */
    private Path latestCheckpoint() {
        for (String name : List.of(LAST, LAST + ".old")) {
            Path dir = output.resolve(name);
            if (Files.isRegularFile(dir.resolve(TRAINER_FILE))) return dir;
        }
        throw new IllegalArgumentException("--resume: no checkpoint under " + output.resolve(LAST));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** Smoothed value for the progress bar; NaN samples (no halted row) are skipped. */
    static final class ExponentialAverage {
        private final double weight;
        private double value = Double.NaN;

        ExponentialAverage(double weight) {
            this.weight = weight;
        }

        void add(double sample) {
            if (Double.isNaN(sample)) return;
            value = Double.isNaN(value) ? sample : value + weight * (sample - value);
        }

        double value() {
            return value;
        }
    }
}
