package io.hrmstream.worker.bench;

import io.hrmstream.worker.engine.BatchingMode;
import io.hrmstream.worker.engine.ContinuousBatchingEngine;
import io.hrmstream.worker.engine.EngineConfig;
import io.hrmstream.worker.engine.NativeMemory;
import io.hrmstream.worker.engine.SolveRequest;
import io.hrmstream.worker.engine.StepListener;
import io.hrmstream.worker.engine.StepStats;
import io.hrmstream.worker.model.ReasoningModel;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Semaphore;

/**
 * Runs the ACT engine for a number of steps on an endless stream of puzzles (random tokens and puzzle identifiers,
 * maxSteps uniform in [1, halt_max_steps], so slots are refilled all the time) and prints, at twenty points, the DJL arrays alive under
 * the model's manager and the process's resident memory. Both are sampled on the inference thread between two
 * steps, when no step temporaries exist. Flat means: the array count never moves, and resident memory settles
 * once the allocator has warmed up.
 */
public final class MemorySoak implements StepListener {

    private final ReasoningModel model;
    private final long steps;
    private final long every;
    private final PrintStream out;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final List<Integer> arrays = new ArrayList<>();
    private final List<Double> mallocMiB = new ArrayList<>();
    private long stepsSeen;
    private long intervalStepNanos;
    private long intervalSteps;

    private MemorySoak(ReasoningModel model, long steps, PrintStream out) {
        this.model = model;
        this.steps = steps;
        this.every = Math.max(1, steps / 20);
        this.out = out;
    }

    public static void run(ReasoningModel model, int capacity, long steps, long seed, PrintStream out)
            throws InterruptedException {
        int haltMaxSteps = model.config().haltMaxSteps();
        out.printf(Locale.ROOT, "- soak: act, %d slots, %d steps, maxSteps uniform in [1,%d]%n%n", capacity, steps,
                haltMaxSteps);
        out.println("| steps | live DJL arrays | malloc in use MiB | RSS MiB | mean step ms (interval) | load average |");
        out.println("|---|---|---|---|---|---|");
        MemorySoak soak = new MemorySoak(model, steps, out);
        soak.sample();
        Random random = new Random(seed);
        int seqLen = model.config().seqLen();
        int vocab = model.config().vocabSize();
        Semaphore window = new Semaphore(2 * capacity);
        try (ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(EngineBenchmark.slotBatch(model, capacity),
                new EngineConfig(BatchingMode.ACT, Duration.ZERO), ForkJoinPool.commonPool(), soak)) {
            for (int i = 0; soak.reached.getCount() > 0; i++) {
                window.acquire();
                int[] tokens = new int[seqLen];
                for (int t = 0; t < seqLen; t++) tokens[t] = 1 + random.nextInt(vocab - 1);
                int puzzleIdentifier = random.nextInt(model.config().numPuzzleIdentifiers());
                engine.submit(new SolveRequest("soak-" + i, tokens, puzzleIdentifier, 1 + random.nextInt(haltMaxSteps)))
                        .whenComplete((result, error) -> window.release());
            }
        }
        soak.summarise();
    }

    /** After the engine closed (its inference thread joined, so the samples are visible here). */
    private void summarise() {
        int third = Math.max(1, mallocMiB.size() / 3);
        // the first sample is before any step; the floors skip passing allocations of other threads
        double first = mallocMiB.subList(1, 1 + third).stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double last = mallocMiB.subList(mallocMiB.size() - third, mallocMiB.size()).stream()
                .mapToDouble(Double::doubleValue).min().orElseThrow();
        out.printf(Locale.ROOT, "%n- live DJL arrays: %d after the first interval, %d at the end (min %d, max %d)%n",
                arrays.get(1), arrays.get(arrays.size() - 1), arrays.stream().mapToInt(Integer::intValue).min()
                        .orElseThrow(), arrays.stream().mapToInt(Integer::intValue).max().orElseThrow());
        out.printf(Locale.ROOT, "- malloc in use, floor of the first and last third of the samples: %.1f -> %.1f MiB "
                + "(%+.1f MiB)%n", first, last, last - first);
    }

    @Override
    public void onStep(StepStats stats) {
        if (stats.occupiedSlots() == 0) return;
        stepsSeen++;
        intervalSteps++;
        intervalStepNanos += stats.stepNanos();
        if (stepsSeen > steps) return;
        if (stepsSeen % every == 0 || stepsSeen == steps) sample();
        if (stepsSeen >= steps) reached.countDown();
    }

    private void sample() {
        double meanStepMs = intervalSteps == 0 ? Double.NaN : intervalStepNanos / 1e6 / intervalSteps;
        double malloc = NativeMemory.mallocInUseBytes().isPresent()
                ? NativeMemory.mallocInUseBytes().getAsLong() / 1048576.0 : Double.NaN;
        int live = model.manager().getManagedArrays().size();
        arrays.add(live);
        mallocMiB.add(malloc);
        out.printf(Locale.ROOT, "| %d | %d | %.1f | %.0f | %.2f | %s |%n", stepsSeen, live, malloc,
                MachineInfo.residentMiB().orElse(Double.NaN), meanStepMs, MachineInfo.loadAverage());
        intervalSteps = 0;
        intervalStepNanos = 0;
    }
}
