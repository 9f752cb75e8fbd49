package io.hrmstream.worker.cli;

import io.hrmstream.worker.engine.BatchingMode;
import io.hrmstream.worker.engine.EngineConfig;
import io.hrmstream.worker.engine.EngineStats;
import io.hrmstream.worker.engine.SlotBatch;
import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.ModelConfig;
import io.hrmstream.worker.model.ModelLoader;
import io.hrmstream.worker.model.ReasoningModel;
import io.hrmstream.worker.model.ResidentSlotBatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench}: runs the solver engine in-process on one workload under each scheduling mode and prints
 * throughput, latency, steps, accuracy (when answers are known), the model's achieved GFLOP/s against a matmul
 * peak measured in the same run, and the engine's own overhead. Markdown output, ready for docs/BENCHMARKS.md.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks the solver engine in-process: act, static, fixed and batch-1 scheduling on one "
                + "workload of mixed difficulty.")
public final class BenchCommand implements Callable<Integer> {

    /** The scheduling variants compared; batch1 is ACT on a one-slot batch. */
    enum Variant {
        act, static_, fixed, batch1;

        String label() {
            return this == static_ ? "static" : name();
        }
    }

    @Option(names = "--model", paramLabel = "DIR",
            description = "Model folder (golden layout or official checkpoint). Default: a randomly initialised "
                    + "HRM of the default size (hidden 128, 4 heads, H/L layers 2/2, H/L cycles 2/2, rope, "
                    + "vocab 11, seq 81) with emulated halting.")
    Path modelDir;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", description = "libtorch intra-op threads (default: libtorch's choice).")
    Integer threads;

    @Option(names = "--batch", defaultValue = "64", description = "Slots of the resident batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--puzzles", defaultValue = "256", description = "Puzzles per mode (default: ${DEFAULT-VALUE}).")
    int puzzles;

    @Option(names = "--outstanding",
            description = "Puzzles kept submitted (closed loop), the same for every mode (default: 2 x batch).")
    Integer outstanding;

    @Option(names = "--modes", split = ",", defaultValue = "act,static,fixed,batch1",
            description = "Modes to run, in order (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--halt-max-steps", defaultValue = "16",
            description = "halt_max_steps of the random model (default: ${DEFAULT-VALUE}).")
    int haltMaxSteps;

    @Option(names = "--max-wait-ms", defaultValue = "5",
            description = "Engine wait for a batch to fill when idle (default: ${DEFAULT-VALUE}).")
    long maxWaitMs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random model and the workload.")
    long seed;

    @Option(names = "--soak-steps", defaultValue = "0",
            description = "Instead of comparing modes, run ACT for this many steps and report DJL live arrays "
                    + "and resident memory along the way (a memory-flatness check).")
    long soakSteps;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        ComputeDevice computeDevice = ComputeDevice.parse(device);
        if (threads != null) ComputeDevice.setIntraOpThreads(threads);
        try (ReasoningModel model = modelDir != null
                ? ModelLoader.load(modelDir, computeDevice)
                : ReasoningModel.randomlyInitialised(ModelConfig.builder(Architecture.HRM_ACT_V1)
                .halt_max_steps(haltMaxSteps).build(), seed, computeDevice)) {
            ModelConfig config = model.config();
            out.println("# hrm-worker bench, " + Instant.now());
            for (String line : MachineInfo.describe()) out.println("- " + line);
            out.println("- intra-op threads: " + ai.djl.pytorch.jni.JniUtils.getNumThreads());
            out.println("- load average at start: " + MachineInfo.loadAverage());
            out.println("- model: " + (modelDir != null ? modelDir : "random init, seed " + seed) + " "
                    + describe(config) + " on " + computeDevice);
            if (soakSteps > 0) {
                MemorySoak.run(model, batch, soakSteps, seed, out);
                return 0;
            }
            return compareModes(model, out);
        }
    }

    private int compareModes(ReasoningModel model, PrintStream out) throws Exception {
        ModelConfig config = model.config();
        int window = outstanding != null ? outstanding : 2 * batch;
        BenchWorkload workload = modelDir == null
                ? BenchWorkload.emulatedHalting(puzzles, config.seqLen(), config.vocabSize(), config.haltMaxSteps(), seed)
                : BenchWorkload.modelHalting(puzzles, config.seqLen(), config.vocabSize(), seed);
        double flopsPerStep = ActStepFlops.perPuzzleStep(config);
        out.printf(Locale.ROOT, "- arithmetic: %.3f GFLOP per puzzle-step (matrix products, counted from the config)%n",
                flopsPerStep / 1e9);
        out.println("- workload: " + puzzles + " puzzles per mode, closed loop with " + window
                + " outstanding; " + workload.description());

        warmUp(model, window);
        MatmulPeak peakBefore = MatmulPeak.measure(model.manager(), (long) batch * config.stateLength(),
                config.hiddenSize(), 2L * ModelConfig.swiGluIntermediateSize(config.hiddenSize(), config.expansion()), 30);
        out.println("- " + peakBefore.describe() + " (before)");

        Map<Variant, EngineBenchmark.Result> results = new java.util.EnumMap<>(Variant.class);
        out.println();
        out.println("| mode | slots | puzzles/s | p50 ms | p99 ms | in-batch p50 ms | in-batch p99 ms | mean steps "
                + "| mean batch | exact | GFLOP/s | % of peak | engine overhead |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String name : modes) {
            Variant variant = Variant.valueOf(name.equals("static") ? "static_" : name);
            int capacity = variant == Variant.batch1 ? 1 : batch;
            BatchingMode mode = switch (variant) {
                case act, batch1 -> BatchingMode.ACT;
                case static_ -> BatchingMode.STATIC;
                case fixed -> BatchingMode.FIXED;
            };
            EngineBenchmark.Result r = EngineBenchmark.run(variant.label(), newSlotBatch(model, capacity),
                    new EngineConfig(mode, Duration.ofMillis(maxWaitMs)), workload, window);
            results.put(variant, r);
            EngineStats s = r.stats();
            double gflops = s.slotSteps() * flopsPerStep / r.seconds() / 1e9;
            out.printf(Locale.ROOT, "| %s | %d | %.1f | %.0f | %.0f | %.0f | %.0f | %.2f | %.1f | %s | %.1f | %.0f%% | %.2f%% |%n",
                    r.label(), r.capacity(), r.puzzlesPerSecond(), r.latencyPercentile(50), r.latencyPercentile(99),
                    r.inBatchPercentile(50), r.inBatchPercentile(99), r.meanSteps(), s.meanBatchSize(),
                    Double.isNaN(r.exactAccuracy()) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * r.exactAccuracy()),
                    gflops, 100 * gflops / peakBefore.best(), 100 * s.overheadRatio());
        }
        out.println();
        MatmulPeak peakAfter = MatmulPeak.measure(model.manager(), peakBefore.m(), peakBefore.k(), peakBefore.n(), 30);
        out.println("- " + peakAfter.describe() + " (after)");
        out.println("- load average at end: " + MachineInfo.loadAverage());
        summarise(results, config, out);
        return 0;
    }

    private void summarise(Map<Variant, EngineBenchmark.Result> results, ModelConfig config, PrintStream out) {
        EngineBenchmark.Result act = results.get(Variant.act);
        EngineBenchmark.Result fixed = results.get(Variant.fixed);
        EngineBenchmark.Result stat = results.get(Variant.static_);
        if (act != null && fixed != null) {
            double achieved = act.puzzlesPerSecond() / fixed.puzzlesPerSecond();
            double ideal = fixed.meanSteps() / act.meanSteps();
            out.printf(Locale.ROOT, "- act over fixed: %.2fx; ideal %.2fx (%.2f / %.2f mean steps): %.0f%% of ideal "
                    + "(target >= 80%%)%n", achieved, ideal, fixed.meanSteps(), act.meanSteps(), 100 * achieved / ideal);
        }
        if (act != null && stat != null) {
            out.printf(Locale.ROOT, "- act over static: %.2fx (+%.0f%% puzzles/s)%n",
                    act.puzzlesPerSecond() / stat.puzzlesPerSecond(),
                    100 * (act.puzzlesPerSecond() / stat.puzzlesPerSecond() - 1));
        }
        if (act != null) {
            EngineStats s = act.stats();
            out.printf(Locale.ROOT, "- engine overhead under act at %d slots: %.3f%% of step time (loads %.3f%%, "
                            + "bookkeeping %.3f%%); target < 10%%%n", act.capacity(), 100 * s.overheadRatio(),
                    100.0 * s.loadNanos() / s.stepNanos(), 100.0 * (s.busyNanos() - s.stepNanos() - s.loadNanos()) / s.stepNanos());
        }
    }

    private void warmUp(ReasoningModel model, int window) throws Exception {
        BenchWorkload warm = BenchWorkload.emulatedHalting(2 * batch, model.config().seqLen(),
                model.config().vocabSize(), 2, seed + 1);
        EngineBenchmark.run("warm-up", newSlotBatch(model, batch),
                new EngineConfig(BatchingMode.ACT, Duration.ofMillis(maxWaitMs)), warm, window);
        EngineBenchmark.run("warm-up", newSlotBatch(model, 1),
                new EngineConfig(BatchingMode.ACT, Duration.ofMillis(maxWaitMs)), warm, window);
    }

    static SlotBatch newSlotBatch(ReasoningModel model, int capacity) {
        return new ResidentSlotBatch(model, capacity, "bench", "sudoku");
    }

    private static String describe(ModelConfig c) {
        return String.format(Locale.ROOT, "%s hidden %d, %d heads, H/L layers %d/%d, H/L cycles %d/%d, %s, vocab %d, "
                        + "seq %d (+%d prefix), halt_max_steps %d", c.architecture().shortName(), c.hiddenSize(),
                c.numHeads(), c.hLayers(), c.lLayers(), c.hCycles(), c.lCycles(), c.posEncodings(), c.vocabSize(),
                c.seqLen(), c.prefixLength(), c.haltMaxSteps());
    }
}
