package io.hrmstream.worker.cli;

import io.hrmstream.puzzles.data.GivensRange;
import io.hrmstream.puzzles.data.HrmCsv;
import io.hrmstream.puzzles.data.LabeledPuzzle;
import io.hrmstream.puzzles.data.SudokuGenerator;
import io.hrmstream.puzzles.data.SudokuPuzzle;
import io.hrmstream.worker.checkpoint.OpenedModel;
import io.hrmstream.worker.engine.BatchingMode;
import io.hrmstream.worker.engine.ContinuousBatchingEngine;
import io.hrmstream.worker.engine.EngineConfig;
import io.hrmstream.worker.engine.Halting;
import io.hrmstream.worker.engine.ResidentSlotBatch;
import io.hrmstream.worker.engine.SolveRequest;
import io.hrmstream.worker.engine.SolveResult;
import io.hrmstream.worker.train.EvalReport;
import io.hrmstream.worker.train.ExampleSource;
import io.hrmstream.worker.train.TrainingExample;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * {@code eval}: runs a model over a labelled HRM CSV through the real {@link ContinuousBatchingEngine}, once per
 * batching mode (act and fixed side by side), and prints exact and per-cell accuracy, ACT step statistics, halt
 * reasons, q-halt accuracy and accuracy / mean steps by difficulty quartile. {@code --generate N} first writes a
 * held-out sudoku CSV from {@link SudokuGenerator} to the {@code --data} file.
 */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = {
                "Evaluates a model on a labelled HRM CSV (source,q,a,rating) through the solver engine in act and "
                        + "fixed modes: exact / per-cell accuracy, steps histogram, halted-by counts, q-halt accuracy, "
                        + "accuracy and mean steps by difficulty quartile (sudoku: givens).",
                "Start the JVM with OMP_WAIT_POLICY=PASSIVE on a shared machine."})
public final class EvalCommand implements java.util.concurrent.Callable<Integer> {

    /** Engine slots without --batch: eval has all its puzzles at once, so a wider batch keeps the slots full. */
    private static final int DEFAULT_BATCH = 128;

    @Mixin
    private ModelOptions modelOptions;

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "labelled HRM CSV to evaluate on")
    private Path dataFile;

    @Option(names = {"--modes", "--halting"}, defaultValue = "act,fixed", split = ",",
            description = "halting and batching modes to run side by side: act (the q head, halted slots refilled), "
                    + "static (the q head, no refill), fixed (every puzzle to its step cap: with --max-steps at "
                    + "halt_max_steps, the official evaluation, which reproduces published numbers) "
                    + "(default: ${DEFAULT-VALUE})")
    private List<String> modes;

    @Option(names = "--max-steps", paramLabel = "N",
            description = "ACT steps per puzzle at most (fixed: exactly), to measure accuracy against steps; default: "
                    + "what run serves, the model's serve_max_steps (config.json), else its halt_max_steps")
    private Integer maxStepsFlag;

    @Option(names = "--limit", description = "evaluate only the first N puzzles")
    private Integer limit;

    @Option(names = "--generate", paramLabel = "N",
            description = "first write N generated sudoku puzzles (unique solution) to --data, then evaluate if --model is given")
    private Integer generate;

    @Option(names = "--givens", paramLabel = "MIN-MAX", defaultValue = "50-78", converter = GivensConverter.class,
            description = "with --generate: givens drawn uniformly from this range, as hrm-tools generate's "
                    + "(default: ${DEFAULT-VALUE})")
    private GivensRange givens;

    @Option(names = "--seed", defaultValue = "20261129", description = "with --generate (default: ${DEFAULT-VALUE})")
    private long seed;

    @Override
    public Integer call() throws Exception {
        if (generate != null) {
            writeSudokuCsv(dataFile, generate, givens.min(), givens.max(), seed);
            System.out.printf("wrote %d sudoku puzzles (givens %s, seed %d) to %s%n", generate, givens, seed, dataFile);
            if (modelOptions.modelDirs.isEmpty()) return 0;
        }
        Path modelDir = modelOptions.singleModelDir(spec.commandLine(), false).orElseThrow(() ->
                new ParameterException(spec.commandLine(), "--model is required unless --generate only writes a data file"));
        int batch = modelOptions.batch(DEFAULT_BATCH, spec.commandLine());
        List<EvalReport> reports = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int maxSteps;
        Halting halting;
        String task;
        int count;
        try (OpenedModel opened = modelOptions.open(modelDir, modelOptions.device(spec.commandLine()), spec.commandLine())) {
            task = opened.task().name();
            List<TrainingExample> puzzles = new ArrayList<>(ExampleSource.readCsv(dataFile, task).stream()
                    .map(p -> ExampleSource.labelled(p, task)).toList());
            if (limit != null && limit < puzzles.size()) puzzles = puzzles.subList(0, limit);
            count = puzzles.size();
            if (maxStepsFlag != null && maxStepsFlag < 1) {
                throw new ParameterException(spec.commandLine(), "--max-steps must be >= 1, was " + maxStepsFlag);
            }
            // by default what run serves: past halt_max_steps where config.json says so
            maxSteps = maxStepsFlag != null ? maxStepsFlag : opened.serveMaxSteps();
            halting = opened.serveHalting();   // what run serves: the folder's serve_halting, else act
            for (String modeName : modes) {
                BatchingMode mode = BatchingMode.valueOf(modeName.trim().toUpperCase(Locale.ROOT));
                long start = System.nanoTime();
                reports.add(run(opened, batch, mode, puzzles, maxSteps));
                names.add(modeName.trim() + String.format(Locale.ROOT, " (%.0fs)", (System.nanoTime() - start) / 1e9));
            }
        }
        System.out.printf("model %s, data %s (%d puzzles), engine slots %d, halting %s (act, static)%n", modelDir, dataFile,
                count, batch, halting);
        System.out.print(EvalReport.format(names, reports, task.equals("sudoku") ? "givens" : "difficulty"));
        return 0;
    }

    /** Every puzzle through a fresh engine in {@code mode}; the model stays loaded, the engine owns only its slots. */
    private static EvalReport run(OpenedModel model, int batch, BatchingMode mode, List<TrainingExample> puzzles,
                                  int maxSteps) {
        EvalReport report = new EvalReport(maxSteps);
        ResidentSlotBatch slots = new ResidentSlotBatch(model.model(), batch, model.qualifiedName(),
                model.task().name());
        try (ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(slots,
                EngineConfig.defaults().withMode(mode).withHalting(model.serveHalting(), maxSteps))) {
            List<CompletableFuture<SolveResult>> futures = new ArrayList<>();
            for (int i = 0; i < puzzles.size(); i++) {
                futures.add(engine.submit(new SolveRequest("eval-" + i, puzzles.get(i).inputs(), 0, maxSteps)));
            }
            for (int i = 0; i < puzzles.size(); i++) {
                SolveResult r = futures.get(i).join();
                TrainingExample p = puzzles.get(i);
                int right = 0, labelled = 0;
                for (int c = 0; c < p.labels().length; c++) {
                    if (p.labels()[c] == 0) continue;
                    labelled++;
                    if (r.tokens()[c] == p.labels()[c]) right++;
                }
                report.add(new EvalReport.Outcome(right == labelled, right, labelled, r.steps(), r.haltedBy(),
                        r.haltConfidence(), p.difficulty()));
            }
        }
        return report;
    }

    /** Reads {@code --givens} ({@link GivensRange#parse}). */
    static final class GivensConverter implements CommandLine.ITypeConverter<GivensRange> {
        @Override
        public GivensRange convert(String value) {
            try {
                return GivensRange.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Held-out puzzles as an HRM CSV: the schemas module's generator and writer, rating = solver backtracks. */
    static void writeSudokuCsv(Path file, int count, int minGivens, int maxGivens, long seed) throws Exception {
        SudokuGenerator generator = new SudokuGenerator(minGivens, maxGivens, seed);
        if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
        try (Writer out = Files.newBufferedWriter(file); HrmCsv.Writer csv = HrmCsv.writer(out, "sudoku")) {
            for (int i = 0; i < count; i++) {
                SudokuPuzzle p = generator.next();
                csv.write(new LabeledPuzzle("generated-" + seed, p.puzzleGrid(), p.solutionGrid(), p.rating()));
            }
        }
    }
}
