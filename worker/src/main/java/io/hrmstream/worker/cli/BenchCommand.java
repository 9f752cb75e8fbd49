package io.hrmstream.worker.cli;

import ai.djl.pytorch.jni.JniUtils;
import io.hrmstream.puzzles.PuzzleTask;
import io.hrmstream.puzzles.PuzzleTasks;
import io.hrmstream.worker.bench.ActStepFlops;
import io.hrmstream.worker.bench.BenchWorkload;
import io.hrmstream.worker.bench.EngineBenchmark;
import io.hrmstream.worker.bench.MachineInfo;
import io.hrmstream.worker.bench.MatmulPeak;
import io.hrmstream.worker.bench.MemorySoak;
import io.hrmstream.worker.checkpoint.InputLength;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.engine.BatchingMode;
import io.hrmstream.worker.engine.EngineConfig;
import io.hrmstream.worker.engine.EngineStats;
import io.hrmstream.worker.engine.ResidentSlotBatch;
import io.hrmstream.worker.engine.SlotBatch;
import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.ModelConfig;
import io.hrmstream.worker.model.ReasoningModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/**
 * {@code bench}: runs the solver engine in-process on one workload under each scheduling variant and prints
 * throughput, latency, steps, exact accuracy, the model's achieved GFLOP/s against a matmul peak measured in the
 * same run, and the engine's own overhead, as Markdown ready for docs/BENCHMARKS.md. With {@code --soak-steps} it
 * runs the memory-flatness check instead ({@link MemorySoak}).
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks the solver engine in-process: act, static, fixed and batch-1 scheduling on one "
                + "workload of mixed difficulty.")
public final class BenchCommand implements Callable<Integer> {

    /** The scheduling variants compared; batch1 is ACT on a one-slot batch. */
    enum Variant {
        ACT("act", BatchingMode.ACT),
        STATIC("static", BatchingMode.STATIC),
        FIXED("fixed", BatchingMode.FIXED),
        BATCH1("batch1", BatchingMode.ACT);

        final String label;
        final BatchingMode mode;

        Variant(String label, BatchingMode mode) {
            this.label = label;
            this.mode = mode;
        }

        static Variant of(String label) {
            for (Variant v : values()) if (v.label.equals(label)) return v;
            throw new IllegalArgumentException("unknown mode '" + label + "' (act, static, fixed, batch1)");
        }
    }

    @Option(names = "--model", paramLabel = "DIR",
            description = "Model folder (golden layout or official checkpoint). Default: a randomly initialised "
                    + "HRM of the default size (hidden 128, 4 heads, H/L layers 2/2, H/L cycles 2/2, rope, "
                    + "vocab 11, seq 81) with emulated halting.")
    Path modelDir;

    @Option(names = "--data", paramLabel = "CSV",
            description = "Puzzles with answers in the official HRM CSV layout (source,q,a,rating); needs --model. "
                    + "Default: generated sudoku of mixed difficulty.")
    Path dataFile;

    @Option(names = "--task", defaultValue = "sudoku",
            description = "Task of --data: sudoku or maze (default: ${DEFAULT-VALUE}).")
    String taskName;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", description = "libtorch intra-op threads (default: libtorch's choice).")
    Integer threads;

    @Option(names = "--batch", defaultValue = "64",
            description = "Slots of the resident batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--puzzles", defaultValue = "256", description = "Puzzles per mode (default: ${DEFAULT-VALUE}).")
    int puzzles;

    @Option(names = "--outstanding",
            description = "Puzzles kept submitted (closed loop), the same for every mode (default: 2 x batch).")
    Integer outstanding;

    @Option(names = "--modes", split = ",", defaultValue = "act,static,fixed,batch1",
            description = "Modes to run, in order (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--rounds", defaultValue = "1",
            description = "Runs of the whole mode sequence; the summary takes each mode's median round, which "
                    + "evens out load changes on a shared machine (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--halt-max-steps", defaultValue = "16",
            description = "halt_max_steps of the random model (default: ${DEFAULT-VALUE}).")
    int haltMaxSteps;

    @Option(names = "--max-wait-ms", defaultValue = "5",
            description = "Engine wait for a batch to fill when idle (default: ${DEFAULT-VALUE}).")
    long maxWaitMs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random model and the workload.")
    long seed;

    @Option(names = "--soak-steps", defaultValue = "0",
            description = "Instead of comparing modes, run act for this many steps (random caps, constant refill) "
                    + "and report live DJL arrays, malloc'd and resident memory along the way.")
    long soakSteps;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        ComputeDevice computeDevice = ComputeDevice.parse(device);
        if (threads != null) ComputeDevice.setIntraOpThreads(threads);
        List<Variant> variants = modes.stream().map(Variant::of).toList();
        try (ReasoningModel model = modelDir != null
                ? ModelLoader.load(modelDir, computeDevice,
                        new InputLength(OptionalInt.empty(), PuzzleTasks.forName(taskName)))
                : ReasoningModel.randomlyInitialised(ModelConfig.builder(Architecture.HRM_ACT_V1)
                .halt_max_steps(haltMaxSteps).build(), seed, computeDevice)) {
            out.println("# hrm-worker bench, " + Instant.now());
            for (String line : MachineInfo.describe()) out.println("- " + line);
            out.println("- libtorch intra-op threads: " + JniUtils.getNumThreads());
            out.println("- load average at start: " + MachineInfo.loadAverage());
            out.println("- model: " + (modelDir != null ? modelDir : "random init, seed " + seed) + ", "
                    + describe(model.config()) + ", on " + computeDevice);
            if (soakSteps > 0) {
                MemorySoak.run(model, batch, soakSteps, seed, out);
            } else {
                compare(model, variants, out);
            }
            return 0;
        }
    }

    private void compare(ReasoningModel model, List<Variant> variants, PrintStream out) throws Exception {
        ModelConfig config = model.config();
        int window = outstanding != null ? outstanding : 2 * batch;
        BenchWorkload workload = workload(config);
        double flopsPerStep = ActStepFlops.perPuzzleStep(config);
        out.printf(Locale.ROOT, "- arithmetic: %.3f GFLOP per puzzle-step (matrix products, counted from the "
                + "config)%n", flopsPerStep / 1e9);
        out.println("- workload: " + puzzles + " puzzles per mode, closed loop with " + window
                + " outstanding; " + workload.description());

        EngineConfig warmConfig = new EngineConfig(BatchingMode.ACT, Duration.ofMillis(maxWaitMs));
        EngineBenchmark.run("warm-up", EngineBenchmark.slotBatch(model, batch), warmConfig, workload.warmUp(2 * batch), window);
        EngineBenchmark.run("warm-up", EngineBenchmark.slotBatch(model, 1), warmConfig, workload.warmUp(8), window);
        // the model's largest product: gate_up over the whole batch, [B*(S+P), hidden] x [hidden, 2I]
        MatmulPeak peak = MatmulPeak.measure(model.manager(), (long) batch * config.stateLength(),
                config.hiddenSize(), 2L * ModelConfig.swiGluIntermediateSize(config.hiddenSize(), config.expansion()),
                30);
        out.println("- " + peak.describe() + " (before)");

        Map<Variant, List<EngineBenchmark.Result>> results = new EnumMap<>(Variant.class);
        out.println();
        out.println("| mode | slots | puzzles/s | p50 ms | p99 ms | in-batch p50 ms | in-batch p99 ms | mean steps "
                + "| mean batch | exact | GFLOP/s | % of peak | engine overhead |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int round = 0; round < rounds; round++) {
            for (Variant variant : variants) {
                int capacity = variant == Variant.BATCH1 ? 1 : batch;
                EngineBenchmark.Result r = EngineBenchmark.run(variant.label, EngineBenchmark.slotBatch(model, capacity),
                        new EngineConfig(variant.mode, Duration.ofMillis(maxWaitMs)), workload, window);
                results.computeIfAbsent(variant, v -> new ArrayList<>()).add(r);
                EngineStats s = r.stats();
                double gflops = s.slotSteps() * flopsPerStep / r.seconds() / 1e9;
                out.printf(Locale.ROOT, "| %s | %d | %.1f | %.0f | %.0f | %.0f | %.0f | %.2f | %.1f | %s | %.1f "
                                + "| %.0f%% | %.2f%% |%n",
                        r.label(), r.capacity(), r.puzzlesPerSecond(), r.latencyPercentile(50),
                        r.latencyPercentile(99), r.inBatchPercentile(50), r.inBatchPercentile(99), r.meanSteps(),
                        s.meanBatchSize(), Double.isNaN(r.exactAccuracy()) ? "n/a"
                                : String.format(Locale.ROOT, "%.1f%%", 100 * r.exactAccuracy()),
                        gflops, 100 * gflops / peak.best(), 100 * s.overheadRatio());
            }
        }
        out.println();
        MatmulPeak after = MatmulPeak.measure(model.manager(), peak.m(), peak.k(), peak.n(), 30);
        out.println("- " + after.describe() + " (after)");
        out.println("- load average at end: " + MachineInfo.loadAverage());
        summarise(results, out);
    }

    private BenchWorkload workload(ModelConfig config) throws IOException {
        if (dataFile != null && modelDir == null) {
            throw new IllegalArgumentException("--data needs --model: a random model cannot solve real puzzles");
        }
        String name = dataFile != null ? taskName : "sudoku";
        PuzzleTask task = PuzzleTasks.forName(name).orElseThrow(
                () -> new IllegalArgumentException("unknown task " + name + "; known: " + PuzzleTasks.names()));
        if (config.vocabSize() != task.vocabSize()) {
            throw new IllegalArgumentException("the model's vocabulary (" + config.vocabSize() + ") is not the "
                    + task.name() + " vocabulary (" + task.vocabSize() + ")");
        }
        BenchWorkload workload = dataFile != null
                ? BenchWorkload.hrmCsv(dataFile, task, puzzles)
                : BenchWorkload.generatedSudoku(puzzles, config.haltMaxSteps(), modelDir == null, seed);
        int tokens = workload.puzzles().get(0).tokens().length;
        if (tokens != config.seqLen()) {
            throw new IllegalArgumentException("the puzzles have " + tokens + " tokens, the model takes "
                    + config.seqLen());
        }
        return workload;
    }

    private static void summarise(Map<Variant, List<EngineBenchmark.Result>> results, PrintStream out) {
        EngineBenchmark.Result act = median(results.get(Variant.ACT));
        EngineBenchmark.Result fixed = median(results.get(Variant.FIXED));
        EngineBenchmark.Result stat = median(results.get(Variant.STATIC));
        String of = results.values().stream().anyMatch(list -> list.size() > 1) ? " (median rounds)" : "";
        if (act != null && fixed != null) {
            double achieved = act.puzzlesPerSecond() / fixed.puzzlesPerSecond();
            double ideal = fixed.meanSteps() / act.meanSteps();
            out.printf(Locale.ROOT, "- act over fixed%s: %.2fx; ideal %.2fx (%.2f / %.2f mean steps): %.0f%% of "
                    + "the ideal speed-up (target >= 80%%)%n", of, achieved, ideal, fixed.meanSteps(),
                    act.meanSteps(), 100 * achieved / ideal);
        }
        if (act != null && stat != null) {
            double ratio = act.puzzlesPerSecond() / stat.puzzlesPerSecond();
            out.printf(Locale.ROOT, "- act over static%s: %.2fx puzzles/s (%+.0f%%); p50 latency %.0f vs %.0f ms, "
                            + "p99 %.0f vs %.0f ms%n", of, ratio, 100 * (ratio - 1), act.latencyPercentile(50),
                    stat.latencyPercentile(50), act.latencyPercentile(99), stat.latencyPercentile(99));
        }
        if (act != null) {
            EngineStats s = act.stats();
            double bookkeeping = (double) (s.busyNanos() - s.stepNanos() - s.loadNanos()) / s.stepNanos();
            out.printf(Locale.ROOT, "- engine overhead under act at %d slots%s: %.3f%% of step time (loads %.3f%%, "
                            + "bookkeeping %.3f%%; target < 10%%)%n", act.capacity(), of, 100 * s.overheadRatio(),
                    100.0 * s.loadNanos() / s.stepNanos(), 100 * bookkeeping);
        }
    }

    private static EngineBenchmark.Result median(List<EngineBenchmark.Result> rounds) {
        if (rounds == null) return null;
        List<EngineBenchmark.Result> sorted = rounds.stream()
                .sorted(Comparator.comparingDouble(EngineBenchmark.Result::puzzlesPerSecond)).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static String describe(ModelConfig c) {
        return String.format(Locale.ROOT, "%s hidden %d, %d heads, H/L layers %d/%d, H/L cycles %d/%d, %s, "
                        + "vocab %d, seq %d (+%d prefix), halt_max_steps %d", c.architecture().shortName(),
                c.hiddenSize(), c.numHeads(), c.hLayers(), c.lLayers(), c.hCycles(), c.lCycles(), c.posEncodings(),
                c.vocabSize(), c.seqLen(), c.prefixLength(), c.haltMaxSteps());
    }
}
