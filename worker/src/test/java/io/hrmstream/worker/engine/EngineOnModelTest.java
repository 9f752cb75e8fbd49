package io.hrmstream.worker.engine;

import io.hrmstream.schemas.HaltReason;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.ModelConfig;
import io.hrmstream.worker.model.ReasoningModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine on the real DJL model ({@link ResidentSlotBatch}). */
class EngineOnModelTest {

    @Test
    void aPuzzlesAnswerStepsAndHaltingDoNotDependOnItsNeighbours() throws Exception {
        // The golden hrm-rope weights have a non-trivial q head, so puzzles halt by q at different steps.
        try (ReasoningModel model = ModelLoader.loadResource("/golden/hrm-rope", ComputeDevice.cpu())) {
            ModelConfig config = model.config();
            Random random = new Random(5);
            List<SolveRequest> probes = new ArrayList<>();
            for (int i = 0; i < 12; i++) probes.add(randomPuzzle("probe-" + i, config, random, config.haltMaxSteps()));

            List<SolveResult> alone = new ArrayList<>();
            try (ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(
                    new ResidentSlotBatch(model, 1, "golden", "test"), new EngineConfig(BatchingMode.ACT, Duration.ZERO))) {
                for (SolveRequest probe : probes) alone.add(engine.submit(probe).get(60, TimeUnit.SECONDS));
            }

            List<CompletableFuture<SolveResult>> mixed = new ArrayList<>();
            List<CompletableFuture<SolveResult>> fillers = new ArrayList<>();
            try (ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(
                    new ResidentSlotBatch(model, 6, "golden", "test"), new EngineConfig(BatchingMode.ACT, Duration.ZERO))) {
                for (SolveRequest probe : probes) {
                    for (int f = 0; f < 3; f++) {
                        fillers.add(engine.submit(randomPuzzle("filler", config, random, 1 + random.nextInt(4))));
                    }
                    mixed.add(engine.submit(probe));
                }
                CompletableFuture.allOf(fillers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                for (int i = 0; i < probes.size(); i++) {
                    SolveResult a = alone.get(i);
                    SolveResult m = mixed.get(i).get(60, TimeUnit.SECONDS);
                    assertEquals(a.steps(), m.steps(), "steps of " + a.requestId());
                    assertEquals(a.haltedBy(), m.haltedBy(), "halted by of " + a.requestId());
                    assertArrayEquals(a.tokens(), m.tokens(), "answer of " + a.requestId());
                    assertEquals(a.haltConfidence(), m.haltConfidence(), 1e-5f, "confidence of " + a.requestId());
                }
                assertTrue(engine.stats().meanBatchSize() > 3, "the probes ran in a busy batch");
            }
            assertTrue(alone.stream().anyMatch(r -> r.haltedBy() == HaltReason.Q_HALT)
                            && alone.stream().anyMatch(r -> r.haltedBy() == HaltReason.MAX_STEPS),
                    "the probes cover both halting reasons");
        }
    }

    @Test
    void aTracedPuzzlesStepKIsWhatThePuzzleAnswersWhenCappedAtKSteps() throws Exception {
        try (ReasoningModel model = ModelLoader.loadResource("/golden/hrm-rope", ComputeDevice.cpu());
             ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(
                     new ResidentSlotBatch(model, 2, "golden", "test"),
                     new EngineConfig(BatchingMode.ACT, Duration.ZERO))) {
            ModelConfig config = model.config();
            SolveRequest probe = randomPuzzle("traced", config, new Random(7), config.haltMaxSteps());

            SolveResult traced = engine.submit(probe.withTrace()).get(60, TimeUnit.SECONDS);

            assertEquals(traced.steps(), traced.trace().size(), "one entry per ACT step");
            assertTrue(traced.steps() >= 2, "a probe that thinks for more than one step: " + traced.steps());
            TracedStep last = traced.trace().get(traced.steps() - 1);
            assertArrayEquals(traced.tokens(), last.tokens(), "the last step is the answer");
            assertEquals(traced.haltedBy() == HaltReason.Q_HALT, last.halted());
            for (int k = 1; k <= traced.steps(); k++) {
                SolveRequest capped = new SolveRequest("capped-" + k, probe.tokens(), probe.puzzleIdentifier(), k);
                SolveResult atK = engine.submit(capped).get(60, TimeUnit.SECONDS);
                TracedStep step = traced.trace().get(k - 1);
                assertEquals(k, step.step());
                assertArrayEquals(atK.tokens(), step.tokens(), "step " + k + " is the answer of a puzzle capped at k");
                assertEquals(atK.haltConfidence(), (float) (1 / (1 + Math.exp(-step.qHalt()))), 1e-5f,
                        "step " + k + "'s q_halt");
                assertEquals(List.of(), atK.trace(), "untraced");
                assertTrue(k == traced.steps() || !step.halted(), "no step before the last halted");
            }
        }
    }

    @Test
    @Tag("slow")   // 1,500 model steps: a soak, not a unit test
    void thousandsOfStepsWithConstantRefillLeaveDjlArraysAndNativeMemoryFlat() throws Exception {
        ModelConfig config = ModelConfig.builder(Architecture.HRM_ACT_V1).hidden_size(32).num_heads(2)
                .H_layers(1).L_layers(1).H_cycles(1).L_cycles(2).puzzle_emb_ndim(32).num_puzzle_identifiers(3)
                .halt_max_steps(8).build();
        int warmUpSteps = 300;
        int steps = 1500;
        try (ReasoningModel model = ReasoningModel.randomlyInitialised(config, 3, ComputeDevice.cpu())) {
            MemorySampler sampler = new MemorySampler(model, warmUpSteps, steps);
            Random random = new Random(9);
            Semaphore window = new Semaphore(8);
            try (ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(
                    new ResidentSlotBatch(model, 4, "random", "sudoku"), new EngineConfig(BatchingMode.ACT, Duration.ZERO),
                    ForkJoinPool.commonPool(), sampler)) {
                // a random cap in [1, 8] per puzzle keeps slots halting and being refilled
                while (sampler.done.getCount() > 0) {
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) continue;
                    engine.submit(randomPuzzle("soak", config, random, 1 + random.nextInt(8)))
                            .whenComplete((result, error) -> window.release());
                }
            }
            assertEquals(sampler.arraysAfterWarmUp, sampler.arraysAtEnd,
                    "live DJL arrays after " + warmUpSteps + " and after " + steps + " steps");
            // Other threads (JIT, GC, the completion pool) malloc too, in passing: compare the floor of the first
            // and the last third of the samples, which a leak raises and a passing allocation does not.
            long growth = sampler.floorOfLastThird() - sampler.floorOfFirstThird();
            // one leaked [4, 82, 32] float state per step would be 42 KB x 1200 = 50 MB; the allocator's own
            // floor moves by up to ~8.5 MB between runs (seen once here), so the bound is 16 MiB
            assertTrue(growth < 16L << 20, "native memory in use grew by " + (growth >> 10) + " KiB: "
                    + sampler.mallocSamples);
        }
    }

    /** Samples the model's live arrays and malloc'd bytes on the inference thread, between two steps. */
    private static final class MemorySampler implements StepListener {
        private static final int SAMPLE_EVERY = 50;
        private final ReasoningModel model;
        private final int warmUpSteps;
        private final int steps;
        final CountDownLatch done = new CountDownLatch(1);
        final List<Long> mallocSamples = new ArrayList<>();
        private int seen;
        int arraysAfterWarmUp;
        int arraysAtEnd;

        MemorySampler(ReasoningModel model, int warmUpSteps, int steps) {
            this.model = model;
            this.warmUpSteps = warmUpSteps;
            this.steps = steps;
        }

        @Override
        public void onStep(StepStats stats) {
            seen++;
            if (seen < warmUpSteps || seen > steps) return;
            if (seen == warmUpSteps) arraysAfterWarmUp = model.manager().getManagedArrays().size();
            if ((seen - warmUpSteps) % SAMPLE_EVERY == 0) mallocSamples.add(NativeMemory.mallocInUseBytes().orElseThrow());
            if (seen == steps) {
                arraysAtEnd = model.manager().getManagedArrays().size();
                done.countDown();
            }
        }

        // Read after the engine is closed: joining its inference thread publishes the samples.
        long floorOfFirstThird() {
            return mallocSamples.subList(0, mallocSamples.size() / 3).stream().min(Long::compare).orElseThrow();
        }

        long floorOfLastThird() {
            return mallocSamples.subList(2 * mallocSamples.size() / 3, mallocSamples.size()).stream()
                    .min(Long::compare).orElseThrow();
        }
    }

    private static SolveRequest randomPuzzle(String id, ModelConfig config, Random random, int maxSteps) {
        int[] tokens = new int[config.seqLen()];
        for (int t = 0; t < tokens.length; t++) tokens[t] = 1 + random.nextInt(config.vocabSize() - 1);
        return new SolveRequest(id, tokens, random.nextInt(config.numPuzzleIdentifiers()), maxSteps);
    }
}
