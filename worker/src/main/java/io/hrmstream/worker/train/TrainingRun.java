package io.hrmstream.worker.train;

import ai.djl.ndarray.NDArray;
import io.hrmstream.worker.checkpoint.HostTensor;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.checkpoint.Safetensors;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.ModelConfig;
import io.hrmstream.worker.model.PuzzleEmbedding;
import io.hrmstream.worker.model.ReasoningModel;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole training run: the step loop with a progress bar, metrics lines, periodic held-out evaluation that keeps
 * the best weights, and resumable checkpoints.
 * <p>
 * Run folder: {@code last/} (model folder + {@code optimizer.safetensors} + {@code trainer.json}, rewritten every
 * checkpoint_every steps; the previous one stays as {@code last.old/} until the new one is complete), {@code best/}
 * (model folder of the best held-out ACT exact accuracy, ties broken by cell accuracy, with {@code eval.json}), {@code metrics.jsonl},
 * {@code recipe.yaml}, and {@code identifiers.json} when CSV sources have puzzle identifiers of their own. With an EMA
 * ({@code optimizer.ema}) the model folders hold the averaged weights, which the evaluation scores, and
 * {@code last/raw/} the raw weights the optimizer trains. Resume restores weights, AdamW moments, the EMA, the step
 * and the best score; the puzzle stream is re-seeded from (seed, step) and the carry restarts with every row halted,
 * so a resumed run sees different (but reproducible) puzzles than an uninterrupted one.
 */
public final class TrainingRun {

    private final TrainConfig config;
    private final RunFolder folder;
    private final PrintStream log;

    public TrainingRun(TrainConfig config, PrintStream log) {
        this.config = config;
        this.folder = new RunFolder(Path.of(config.output()), config.data().task());
        this.log = log;
    }

    /** The outcome: the last step's metrics and the best held-out result (null without evaluation). */
    public record Outcome(int steps, StepMetrics first, StepMetrics last, HeldOutEvaluation.Result best) {
    }

    /**
     * The weights a run starts from: the model it trains, and a resumed checkpoint's EMA averages (null when the
     * checkpoint has none).
     */
    private record StartingWeights(ReasoningModel model, Map<String, HostTensor> averages) {
    }

    /** Where the step loop starts: the step and the best held-out score so far. */
    private record StartPoint(int step, double bestScore) {
        static final StartPoint FRESH = new StartPoint(0, Double.NEGATIVE_INFINITY);
    }

    public Outcome run(boolean resume) throws IOException {
        folder.create(config.toYaml());
        ModelConfig modelConfig = config.modelConfig();
        int total = config.steps();
        Path checkpoint = resume ? folder.latestCheckpoint() : null;
        StartingWeights weights = startingWeights(checkpoint, modelConfig);
        ReasoningModel model = weights.model();
        TrainConfig.Optimizer opt = config.optimizer();
        try (model; AdamW optimizer = new AdamW(model.manager(), opt.beta1(), opt.beta2(), opt.eps(), opt.weightDecay());
             EmaWeights ema = emaWeights(model, weights.averages())) {
            StartPoint start = checkpoint == null ? StartPoint.FRESH : resumeFrom(checkpoint, optimizer);
            PuzzleIdentifiers identifiers = config.data().identifiers(model.config().numPuzzleIdentifiers());
            if (!identifiers.isEmpty()) folder.writeIdentifiers(identifiers.names());
            ExampleSource source = config.data().source(config.seed() * 1_000_003L + start.step(), identifiers);
            List<TrainingExample> heldOut = heldOut(identifiers);
            try (ActTrainer trainer = new ActTrainer(model, source, optimizer, puzzleEmbOptimizer(model, opt, total),
                    opt.schedule(total), config.batchSize(), config.seed() * 31 + start.step());
                 Writer metrics = folder.appendMetrics();
                 ProgressBar bar = progressBar(total, start.step())) {
                return new TrainingLoop(config, folder, log, trainer, optimizer, ema, metrics, bar, heldOut,
                        start.bestScore()).run(start.step());
            }
        }
    }

    /**
     * The recipe's weight EMA over the model: a resumed checkpoint's averages, else (a fresh run, or a checkpoint
     * written without one) starting from the model's weights. Null when the recipe has none.
     */
    private EmaWeights emaWeights(ReasoningModel model, Map<String, HostTensor> averages) {
        Double rate = config.optimizer().ema();
        if (rate == null) return null;
        EmaWeights ema = new EmaWeights(model, rate);
        if (averages != null) ema.load(averages);
        return ema;
    }

    /** Sign-SGD for the model's puzzle-embedding table; null without a table or with puzzle_emb_lr 0 (frozen). */
    private static SparseEmbeddingSignSgd puzzleEmbOptimizer(ReasoningModel model, TrainConfig.Optimizer opt,
                                                            int total) {
        NDArray table = model.stateDict().get(PuzzleEmbedding.WEIGHTS_KEY);
        if (table == null || opt.puzzleEmbLr() == 0) return null;
        return new SparseEmbeddingSignSgd(table, opt.puzzleEmbSchedule(total), opt.puzzleEmbWeightDecay());
    }

    /** Restores the checkpoint's AdamW moments and reads its step and best score. */
    private StartPoint resumeFrom(Path checkpoint, AdamW optimizer) throws IOException {
        Map<?, ?> state = RunFolder.trainerState(checkpoint);
        int step = ((Number) state.get("step")).intValue();
        double bestScore = state.get("best_score") instanceof Number n ? n.doubleValue() : Double.NEGATIVE_INFINITY;
        optimizer.load(Safetensors.read(checkpoint.resolve(RunFolder.OPTIMIZER_FILE)), step);
        log.printf("resumed from %s at step %d (best held-out score %.4f)%n", checkpoint, step, bestScore);
        return new StartPoint(step, bestScore);
    }

    /**
     * The weights the run starts from: its own checkpoint when resuming; else load_checkpoint's weights under the
     * recipe's config (a fine-tune may change halting fields, not shapes); else the official random initialisation.
     */
    private StartingWeights startingWeights(Path checkpoint, ModelConfig modelConfig) throws IOException {
        if (checkpoint != null) return resumedWeights(checkpoint);
        if (config.loadCheckpoint() != null) {
            return new StartingWeights(ReasoningModel.fromStateDict(modelConfig,
                    ModelLoader.readWeights(Path.of(config.loadCheckpoint())), ComputeDevice.cpu()), null);
        }
        return new StartingWeights(ReasoningModel.randomlyInitialised(modelConfig, config.seed(), ComputeDevice.cpu()),
                null);
    }

    /**
     * A checkpoint's weights. Written with an EMA, its model folder holds the averages and raw/ the weights the
     * optimizer trains: training continues from raw/ (whether or not this recipe keeps the EMA on).
     */
    private static StartingWeights resumedWeights(Path checkpoint) throws IOException {
        ReasoningModel published = ModelLoader.load(checkpoint, ComputeDevice.cpu());
        Path raw = checkpoint.resolve(RunFolder.RAW);
        if (!Files.isDirectory(raw)) return new StartingWeights(published, null);
        try (published) {
            Map<String, HostTensor> averages = new LinkedHashMap<>();
            published.parameters().forEach((key, a) -> averages.put(key, HostTensor.of(a)));
            return new StartingWeights(ModelLoader.load(raw, ComputeDevice.cpu()), averages);
        }
    }

    /**
     * The held-out puzzles: from eval.csv, or generated from the training domain with the eval seed; CSV puzzles
     * with the identifiers of the training CSV's sources (0 for a source it lacks).
     */
    private List<TrainingExample> heldOut(PuzzleIdentifiers identifiers) throws IOException {
        TrainConfig.Eval eval = config.eval();
        if (eval.every() <= 0) return List.of();
        if (eval.csv() != null) {
            return ExampleSource.readCsv(Path.of(eval.csv()), config.data().task()).stream()
                    .map(p -> ExampleSource.labelled(p, config.data().task(), identifiers)).toList();
        }
        ExampleSource source = config.data().source(eval.seed(), identifiers);
        List<TrainingExample> out = new ArrayList<>();
        for (int i = 0; i < eval.puzzles(); i++) out.add(source.next());
        return out;
    }

    /** The console's progress bar; a resumed run's starts at its step. */
    private static ProgressBar progressBar(int total, int startStep) {
        return new ProgressBarBuilder().setTaskName("train").setInitialMax(total)
                .startsFrom(startStep, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(2000).build();
    }
}
