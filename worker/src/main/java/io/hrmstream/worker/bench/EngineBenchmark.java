package io.hrmstream.worker.bench;

import io.hrmstream.worker.engine.BatchingMode;
import io.hrmstream.worker.engine.ContinuousBatchingEngine;
import io.hrmstream.worker.engine.EngineConfig;
import io.hrmstream.worker.engine.EngineStats;
import io.hrmstream.worker.engine.ResidentSlotBatch;
import io.hrmstream.worker.engine.SlotBatch;
import io.hrmstream.worker.engine.SolveResult;
import io.hrmstream.worker.model.ReasoningModel;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;

/**
 * Runs one engine configuration over a workload as a closed loop: {@code outstanding} puzzles are kept submitted,
 * a new one going in as each completes, so the queue never runs dry and the engine runs saturated. Latency is the
 * engine's own (submit to halt); throughput is puzzles over the time from the first submit to the last result.
 */
public final class EngineBenchmark {

    /**
     * @param label          the mode's name in the report
     * @param capacity       slots of the batch
     * @param seconds        first submit to last result
     * @param latencyMs      submit to halt, sorted
     * @param inBatchMs      first step to halt, sorted
     * @param meanSteps      ACT steps per puzzle
     * @param exactAccuracy  share of puzzles whose every token matches the answer; NaN when answers are unknown
     * @param stats          the engine's counters at the end
     */
    public record Result(String label, BatchingMode mode, int capacity, int puzzles, double seconds, double[] latencyMs,
                  double[] inBatchMs, double meanSteps, double exactAccuracy, EngineStats stats) {

        public double puzzlesPerSecond() {
            return puzzles / seconds;
        }

        public double latencyPercentile(double p) {
            return percentile(latencyMs, p);
        }

        public double inBatchPercentile(double p) {
            return percentile(inBatchMs, p);
        }

        private static double percentile(double[] sorted, double p) {
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }

    private EngineBenchmark() {
    }

    /** The model's slot batch as the worker builds it, named for the bench. */
    public static SlotBatch slotBatch(ReasoningModel model, int capacity) {
        return new ResidentSlotBatch(model, capacity, "bench", "sudoku");
    }

    public static Result run(String label, SlotBatch slotBatch, EngineConfig config, BenchWorkload workload,
                      int outstanding) throws InterruptedException, ExecutionException {
        List<BenchWorkload.Puzzle> puzzles = workload.puzzles();
        int haltMaxSteps = slotBatch.descriptor().haltMaxSteps();
        int capacity = slotBatch.capacity();
        @SuppressWarnings("unchecked")
        CompletableFuture<SolveResult>[] futures = new CompletableFuture[puzzles.size()];
        long start;
        long end;
        EngineStats stats;
        try (ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(slotBatch, config)) {
            Semaphore window = new Semaphore(outstanding);
            start = System.nanoTime();
            for (int i = 0; i < futures.length; i++) {
                window.acquire();
                futures[i] = engine.submit(puzzles.get(i).request(config.mode(), haltMaxSteps));
                futures[i].whenComplete((result, error) -> window.release());
            }
            CompletableFuture.allOf(futures).get();
            end = System.nanoTime();
            engine.close(); // joins the inference thread: the counters below include its last iteration
            stats = engine.stats();
        }
        double[] latency = new double[futures.length];
        double[] inBatch = new double[futures.length];
        long steps = 0;
        int exact = 0;
        for (int i = 0; i < futures.length; i++) {
            SolveResult result = futures[i].get();
            latency[i] = (result.queuedNanos() + result.inferenceNanos()) / 1e6;
            inBatch[i] = result.inferenceNanos() / 1e6;
            steps += result.steps();
            int[] answer = puzzles.get(i).answer();
            if (answer != null && Arrays.equals(answer, result.tokens())) exact++;
        }
        Arrays.sort(latency);
        Arrays.sort(inBatch);
        boolean answersKnown = puzzles.stream().allMatch(p -> p.answer() != null);
        double accuracy = answersKnown ? (double) exact / futures.length : Double.NaN;
        return new Result(label, config.mode(), capacity, futures.length, (end - start) / 1e9, latency, inBatch,
                (double) steps / futures.length, accuracy, stats);
    }
}
