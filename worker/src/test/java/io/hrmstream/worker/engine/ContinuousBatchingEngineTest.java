package io.hrmstream.worker.engine;

import io.hrmstream.schemas.HaltReason;
import io.hrmstream.worker.model.HaltRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContinuousBatchingEngineTest {

    private static final int SEQ_LEN = 9;
    private static final int VOCAB = 11;
    private static final int HALT_MAX_STEPS = 8;
    /** Long enough that a test's submissions always land inside the wait; tests never wait it out. */
    private static final Duration LONG_WAIT = Duration.ofSeconds(30);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) c.close();
    }

    // ---- halting ----

    @Test
    void aPuzzleHaltsAtTheFirstStepWhereQHaltExceedsQContinue() throws Exception {
        ContinuousBatchingEngine engine = engine(new ScriptedSlotBatch(hrm(), 1), BatchingMode.ACT, Duration.ZERO);

        SolveResult result = await(engine.submit(puzzle(1, 3, 100)));

        assertEquals(3, result.steps());
        assertEquals(HaltReason.Q_HALT, result.haltedBy());
        assertEquals(HALT_MAX_STEPS, result.maxSteps());
        assertEquals(1f / (1f + (float) Math.exp(-ScriptedSlotBatch.Q_HALT_WHEN_HALTING)), result.haltConfidence(),
                1e-6f);
        assertArrayEquals(expectedTokens(1, 3, 3), result.tokens());
        assertEquals("r1", result.requestId());
        assertEquals(1, result.batchSize());
    }

    @Test
    void aTrmPuzzleHaltsWhenQHaltIsAboveZero() throws Exception {
        ModelDescriptor trm = ScriptedSlotBatch.descriptor(SEQ_LEN, VOCAB, HALT_MAX_STEPS, HaltRule.Q_HALT_ABOVE_ZERO);
        ContinuousBatchingEngine engine = engine(new ScriptedSlotBatch(trm, 1), BatchingMode.ACT, Duration.ZERO);

        SolveResult result = await(engine.submit(puzzle(1, 2, 100)));

        assertEquals(2, result.steps());
        assertEquals(HaltReason.Q_HALT, result.haltedBy());
    }

    @Test
    void aPuzzleWhoseQNeverHaltsStopsAtTheModelsHaltMaxSteps() throws Exception {
        ContinuousBatchingEngine engine = engine(new ScriptedSlotBatch(hrm(), 1), BatchingMode.ACT, Duration.ZERO);

        SolveResult result = await(engine.submit(puzzle(1, 0, 100)));

        assertEquals(HALT_MAX_STEPS, result.steps());
        assertEquals(HaltReason.MAX_STEPS, result.haltedBy());
        assertEquals(1f / (1f + (float) Math.exp(-ScriptedSlotBatch.Q_HALT_WHEN_CONTINUING)),
                result.haltConfidence(), 1e-6f);
        assertArrayEquals(expectedTokens(1, 0, HALT_MAX_STEPS), result.tokens());
    }

    @Test
    void aRequestsMaxStepsCapsItBelowTheModelsLimit() throws Exception {
        ContinuousBatchingEngine engine = engine(new ScriptedSlotBatch(hrm(), 1), BatchingMode.ACT, Duration.ZERO);

        SolveResult capped = await(engine.submit(puzzle(1, 5, 2)));
        SolveResult haltsFirst = await(engine.submit(puzzle(2, 2, 5)));
        SolveResult haltsAtItsOwnCap = await(engine.submit(puzzle(3, 4, 4)));

        assertEquals(2, capped.steps());
        assertEquals(2, capped.maxSteps());
        assertEquals(HaltReason.MAX_STEPS, capped.haltedBy());
        assertArrayEquals(expectedTokens(1, 5, 2), capped.tokens());
        assertEquals(2, haltsFirst.steps());
        assertEquals(HaltReason.Q_HALT, haltsFirst.haltedBy());
        assertEquals(4, haltsAtItsOwnCap.steps());
        assertEquals(HaltReason.Q_HALT, haltsAtItsOwnCap.haltedBy(), "the model chose to stop, even at the cap");
    }

    @Test
    void fixedModeIgnoresQAndRunsEveryPuzzleToItsCap() throws Exception {
        ContinuousBatchingEngine engine = engine(new ScriptedSlotBatch(hrm(), 2), BatchingMode.FIXED, LONG_WAIT);

        CompletableFuture<SolveResult> early = engine.submit(puzzle(1, 1, 100));
        CompletableFuture<SolveResult> capped = engine.submit(puzzle(2, 1, 5));

        assertEquals(HALT_MAX_STEPS, await(early).steps());
        assertEquals(HaltReason.MAX_STEPS, await(early).haltedBy());
        assertArrayEquals(expectedTokens(1, 1, HALT_MAX_STEPS), await(early).tokens());
        assertEquals(5, await(capped).steps());
        assertEquals(HaltReason.MAX_STEPS, await(capped).haltedBy());
    }

    // ---- tracing (the console's inspector) ----

    @Test
    void aTracedPuzzleGetsEveryStepBackAndItsLastStepIsTheAnswer() throws Exception {
        ContinuousBatchingEngine engine = engine(new ScriptedSlotBatch(hrm(), 2), BatchingMode.ACT, LONG_WAIT);

        CompletableFuture<SolveResult> traced = engine.submit(puzzle(1, 3, 100).withTrace());
        CompletableFuture<SolveResult> untraced = engine.submit(puzzle(2, 3, 100));

        SolveResult result = await(traced);
        assertEquals(3, result.trace().size(), "one entry per ACT step");
        for (int k = 1; k <= 3; k++) {
            TracedStep step = result.trace().get(k - 1);
            assertEquals(k, step.step());
            assertArrayEquals(expectedTokens(1, 3, k), step.tokens(), "step " + k + "'s argmax");
            float q = k < 3 ? ScriptedSlotBatch.Q_HALT_WHEN_CONTINUING : ScriptedSlotBatch.Q_HALT_WHEN_HALTING;
            assertEquals(q, step.qHalt(), "step " + k + "'s q_halt");
            assertEquals(0f, step.qContinue());
            assertEquals(k == 3, step.halted(), "the engine halted on the q logits of step 3 only");
        }
        TracedStep last = result.trace().get(2);
        assertArrayEquals(result.tokens(), last.tokens(), "the last step is the answer");
        assertEquals(HaltReason.Q_HALT, result.haltedBy());
        assertEquals(1f / (1f + (float) Math.exp(-last.qHalt())), result.haltConfidence(), 1e-6f);

        assertEquals(List.of(), await(untraced).trace(), "an untraced puzzle in the same batch records nothing");
        assertArrayEquals(expectedTokens(2, 3, 3), await(untraced).tokens());
    }

    @Test
    void aTracedPuzzleStoppedByItsCapRecordsThatNoStepHalted() throws Exception {
        ContinuousBatchingEngine engine = engine(new ScriptedSlotBatch(hrm(), 1), BatchingMode.ACT, Duration.ZERO);

        SolveResult result = await(engine.submit(puzzle(1, 0, 4).withTrace()));

        assertEquals(HaltReason.MAX_STEPS, result.haltedBy());
        assertEquals(4, result.trace().size());
        assertTrue(result.trace().stream().noneMatch(TracedStep::halted));
        assertArrayEquals(result.tokens(), result.trace().get(3).tokens());
    }

    // ---- scheduling ----

    @Test
    void actRefillsAHaltedSlotBeforeTheNextStep() throws Exception {
        Semaphore permits = new Semaphore(0);
        ScriptedSlotBatch batch = new ScriptedSlotBatch(hrm(), 2, permits);
        ContinuousBatchingEngine engine = engine(batch, BatchingMode.ACT, LONG_WAIT);

        List<CompletableFuture<SolveResult>> futures = new ArrayList<>();
        futures.add(engine.submit(puzzle(1, 1, 100)));
        futures.add(engine.submit(puzzle(2, 3, 100)));
        batch.stepsEntered.acquire();
        futures.add(engine.submit(puzzle(3, 1, 100)));
        permits.release(100);
        awaitAll(futures);

        assertEquals(List.of("load 0 p1", "load 1 p2", "step [0, 1]",
                "load 0 p3", "step [0, 1]",
                "step [1]"), batch.events());
        assertEquals(2, await(futures.get(2)).batchSize());
        assertEquals(1, await(futures.get(1)).batchSize(), "p2 halted alone in the last step");
    }

    @Test
    void aCancelledPuzzleLeavesItsSlotBeforeTheNextStepAndTheSlotIsRefilled() throws Exception {
        Semaphore permits = new Semaphore(0);
        ScriptedSlotBatch batch = new ScriptedSlotBatch(hrm(), 2, permits);
        ContinuousBatchingEngine engine = engine(batch, BatchingMode.ACT, LONG_WAIT);

        SolveFuture loser = engine.submit(puzzle(1, 9, 100));   // would run to the step cap
        SolveFuture winner = engine.submit(puzzle(2, 2, 100));
        batch.stepsEntered.acquire();                        // inside step 1 over [0, 1]
        SolveFuture next = engine.submit(puzzle(3, 1, 100));
        assertTrue(loser.cancel(false));
        permits.release(100);
        awaitAll(List.of(winner, next));

        assertEquals(List.of("load 0 p1", "load 1 p2", "step [0, 1]",
                "load 0 p3", "step [0, 1]"), batch.events(), "p1's slot goes to p3 before step 2");
        assertEquals(1, loser.stepsSoFar(), "a cancelled puzzle keeps the steps it ran");
        assertEquals(1, engine.stats().cancelled());
        assertEquals(0, engine.pending());
    }

    @Test
    void aPuzzleWithNonFiniteQLogitsEndsWithAnErrorAndTheOtherSlotsGoOn() throws Exception {
        ScriptedSlotBatch batch = new ScriptedSlotBatch(hrm(), 2);
        batch.nanQFor(id -> id == 1);
        ContinuousBatchingEngine engine = engine(batch, BatchingMode.ACT, Duration.ZERO);

        CompletableFuture<SolveResult> bad = engine.submit(puzzle(1, 3, 100));
        CompletableFuture<SolveResult> good = engine.submit(puzzle(2, 3, 100));

        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
        assertInstanceOf(NonFiniteOutputException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("q_halt NaN"), e.getCause().getMessage());
        assertEquals(3, await(good).steps(), "its neighbour is answered as usual");
        assertEquals(1, engine.stats().failed());
    }

    @Test
    void fixedHaltingRunsEveryPuzzleToItsCapAndAThresholdHaltsOnConfidence() throws Exception {
        ContinuousBatchingEngine fixed = ContinuousBatchingEngine.start(new ScriptedSlotBatch(hrm(), 2),
                new EngineConfig(BatchingMode.ACT, Duration.ZERO, Halting.FIXED, 0));
        toClose.add(fixed);
        assertEquals(HALT_MAX_STEPS, await(fixed.submit(puzzle(1, 2, 100))).steps(), "q says halt at 2; fixed ignores it");

        ContinuousBatchingEngine sure = ContinuousBatchingEngine.start(new ScriptedSlotBatch(hrm(), 2),
                new EngineConfig(BatchingMode.ACT, Duration.ZERO, Halting.parse("threshold:0.999999"), 0));
        toClose.add(sure);
        assertEquals(HALT_MAX_STEPS, await(sure.submit(puzzle(1, 2, 100))).steps(),
                "the scripted q_halt is not that confident");

        ContinuousBatchingEngine even = ContinuousBatchingEngine.start(new ScriptedSlotBatch(hrm(), 2),
                new EngineConfig(BatchingMode.ACT, Duration.ZERO, Halting.parse("threshold:0.5"), 0));
        toClose.add(even);
        assertEquals(2, await(even.submit(puzzle(1, 2, 100))).steps(), "sigmoid(2) >= 0.5 at step 2");
    }

    @Test
    void aStepCeilingAboveTheModelsHaltMaxStepsLetsARequestRunLongerAndReportsTheCapApplied() throws Exception {
        ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(new ScriptedSlotBatch(hrm(), 1),
                new EngineConfig(BatchingMode.ACT, Duration.ZERO, Halting.FIXED, 2 * HALT_MAX_STEPS));
        toClose.add(engine);
        SolveResult longer = await(engine.submit(puzzle(1, 2, 100)));
        assertEquals(2 * HALT_MAX_STEPS, longer.steps());
        assertEquals(2 * HALT_MAX_STEPS, longer.maxSteps(), "the cap actually applied");
        assertEquals(5, await(engine.submit(puzzle(2, 2, 5))).maxSteps());
    }

    @Test
    void aRequestThatSetsNoStepCapGetsTheEnginesCeiling() {
        ContinuousBatchingEngine trained = ContinuousBatchingEngine.start(new ScriptedSlotBatch(hrm(), 1),
                new EngineConfig(BatchingMode.ACT, Duration.ZERO));
        toClose.add(trained);
        assertEquals(HALT_MAX_STEPS, trained.model().defaultMaxSteps(), "no ceiling: the steps it was trained with");
        ContinuousBatchingEngine longer = ContinuousBatchingEngine.start(new ScriptedSlotBatch(hrm(), 1),
                new EngineConfig(BatchingMode.ACT, Duration.ZERO, Halting.ACT, 2 * HALT_MAX_STEPS));
        toClose.add(longer);
        assertEquals(2 * HALT_MAX_STEPS, longer.model().defaultMaxSteps());
        assertEquals(HALT_MAX_STEPS, longer.model().haltMaxSteps(), "the trained limit is still reported as such");
    }

    @Test
    void aPuzzleCancelledWhileQueuedIsNeverLoaded() throws Exception {
        Semaphore permits = new Semaphore(0);
        ScriptedSlotBatch batch = new ScriptedSlotBatch(hrm(), 1, permits);
        ContinuousBatchingEngine engine = engine(batch, BatchingMode.ACT, LONG_WAIT);

        SolveFuture running = engine.submit(puzzle(1, 2, 100));
        batch.stepsEntered.acquire();
        SolveFuture queued = engine.submit(puzzle(2, 1, 100));
        SolveFuture after = engine.submit(puzzle(3, 1, 100));
        queued.cancel(false);
        permits.release(100);
        awaitAll(List.of(running, after));

        assertEquals(List.of("load 0 p1", "step [0]", "step [0]", "load 0 p3", "step [0]"), batch.events());
        assertEquals(0, queued.stepsSoFar());
        assertEquals(0, engine.pending());
    }

    @Test
    void staticModeDoesNotRefillUntilTheBatchHasDrained() throws Exception {
        Semaphore permits = new Semaphore(0);
        ScriptedSlotBatch batch = new ScriptedSlotBatch(hrm(), 2, permits);
        ContinuousBatchingEngine engine = engine(batch, BatchingMode.STATIC, LONG_WAIT);

        List<CompletableFuture<SolveResult>> futures = new ArrayList<>();
        futures.add(engine.submit(puzzle(1, 1, 100)));
        futures.add(engine.submit(puzzle(2, 3, 100)));
        batch.stepsEntered.acquire();
        futures.add(engine.submit(puzzle(3, 1, 100)));
        futures.add(engine.submit(puzzle(4, 1, 100)));
        permits.release(100);
        awaitAll(futures);

        assertEquals(List.of("load 0 p1", "load 1 p2", "step [0, 1]", "step [1]", "step [1]",
                "load 0 p3", "load 1 p4", "step [0, 1]"), batch.events());
        assertEquals(1, await(futures.get(0)).steps(), "halting is still honoured");
    }

    @Test
    void anIdleEngineWaitsUpToMaxWaitForTheBatchToFill() throws Exception {
        ScriptedSlotBatch batch = new ScriptedSlotBatch(hrm(), 2);
        ContinuousBatchingEngine engine = engine(batch, BatchingMode.ACT, LONG_WAIT);

        CompletableFuture<SolveResult> first = engine.submit(puzzle(1, 1, 100));
        batch.loadsDone.acquire();   // p1 is in its slot: an engine that did not wait would step it alone now
        CompletableFuture<SolveResult> second = engine.submit(puzzle(2, 1, 100));
        awaitAll(List.of(first, second));

        assertEquals(List.of("load 0 p1", "load 1 p2", "step [0, 1]"), batch.events());
    }

    @Test
    void withZeroMaxWaitAnIdleEngineStepsAtOnceAndLaterArrivalsJoinTheRunningBatch() throws Exception {
        Semaphore permits = new Semaphore(0);
        ScriptedSlotBatch batch = new ScriptedSlotBatch(hrm(), 2, permits);
        ContinuousBatchingEngine engine = engine(batch, BatchingMode.ACT, Duration.ZERO);

        CompletableFuture<SolveResult> first = engine.submit(puzzle(1, 2, 100));
        batch.stepsEntered.acquire();
        CompletableFuture<SolveResult> second = engine.submit(puzzle(2, 1, 100));
        permits.release(100);
        awaitAll(List.of(first, second));

        assertEquals(List.of("load 0 p1", "step [0]", "load 1 p2", "step [0, 1]"), batch.events());
    }

    @Test
    void aPuzzlesResultDoesNotDependOnItsNeighbours() throws Exception {
        Random random = new Random(42);
        List<SolveRequest> probes = new ArrayList<>();
        for (int i = 0; i < 20; i++) probes.add(puzzle(i, random.nextInt(HALT_MAX_STEPS + 1), 1 + random.nextInt(10)));

        ContinuousBatchingEngine alone = engine(new ScriptedSlotBatch(hrm(), 1), BatchingMode.ACT, Duration.ZERO);
        List<SolveResult> aloneResults = new ArrayList<>();
        for (SolveRequest probe : probes) aloneResults.add(await(alone.submit(probe)));

        ContinuousBatchingEngine busy = engine(new ScriptedSlotBatch(hrm(), 8), BatchingMode.ACT, Duration.ZERO);
        List<CompletableFuture<SolveResult>> mixed = new ArrayList<>();
        List<CompletableFuture<SolveResult>> fillers = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            for (int f = 0; f < 5; f++) {
                fillers.add(busy.submit(puzzle(100 + 5 * i + f, random.nextInt(HALT_MAX_STEPS + 1), 100)));
            }
            mixed.add(busy.submit(probes.get(i)));
        }
        awaitAll(fillers);

        for (int i = 0; i < probes.size(); i++) {
            SolveResult a = aloneResults.get(i);
            SolveResult m = await(mixed.get(i));
            assertArrayEquals(a.tokens(), m.tokens(), "tokens of " + a.requestId());
            assertEquals(a.steps(), m.steps(), "steps of " + a.requestId());
            assertEquals(a.haltedBy(), m.haltedBy(), "haltedBy of " + a.requestId());
            assertEquals(a.haltConfidence(), m.haltConfidence(), "haltConfidence of " + a.requestId());
        }
        assertTrue(busy.stats().meanBatchSize() > 4, "the probes ran inside a busy batch");
    }

    // ---- failures and close ----

    @Test
    void closeFailsQueuedAndRunningPuzzlesAndLaterSubmits() throws Exception {
        ModelDescriptor endless = ScriptedSlotBatch.descriptor(SEQ_LEN, VOCAB, 1_000_000_000,
                HaltRule.Q_HALT_ABOVE_Q_CONTINUE);
        ScriptedSlotBatch batch = new ScriptedSlotBatch(endless, 2);
        ContinuousBatchingEngine engine =
                ContinuousBatchingEngine.start(batch, new EngineConfig(BatchingMode.ACT, Duration.ZERO));
        List<CompletableFuture<SolveResult>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) futures.add(engine.submit(puzzle(i, 0, Integer.MAX_VALUE)));
        batch.stepsEntered.acquire(3);

        engine.close();

        for (CompletableFuture<SolveResult> future : futures) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
            assertInstanceOf(EngineClosedException.class, e.getCause());
        }
        ExecutionException late = assertThrows(ExecutionException.class,
                () -> engine.submit(puzzle(9, 1, 1)).get(10, TimeUnit.SECONDS));
        assertInstanceOf(EngineClosedException.class, late.getCause());
        assertEquals(0, engine.pending());
        assertTrue(batch.isClosed(), "the engine closes the slot batch it owns");
        engine.close();
    }

    @Test
    void aFailingStepFailsOnlyItsPuzzlesAndTheEngineKeepsServing() throws Exception {
        ScriptedSlotBatch batch = new ScriptedSlotBatch(hrm(), 2);
        batch.failStep(call -> call == 2);
        ContinuousBatchingEngine engine = engine(batch, BatchingMode.ACT, LONG_WAIT);

        CompletableFuture<SolveResult> a = engine.submit(puzzle(1, 3, 100));
        CompletableFuture<SolveResult> b = engine.submit(puzzle(2, 3, 100));
        for (CompletableFuture<SolveResult> future : List.of(a, b)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("injected failure of step 2"), e.getCause().toString());
        }
        CompletableFuture<SolveResult> c = engine.submit(puzzle(3, 2, 100));
        CompletableFuture<SolveResult> d = engine.submit(puzzle(4, 0, 3));

        assertEquals(2, await(c).steps());
        assertEquals(3, await(d).steps());
        assertEquals(2, engine.stats().failed());
        assertEquals(0, engine.pending());
    }

    @Test
    void anErrorInAStepStopsTheEngineAndFailsEverythingPendingWithItsCause() throws Exception {
        ScriptedSlotBatch batch = new ScriptedSlotBatch(hrm(), 1);
        batch.failStepWithError(call -> call == 1, () -> new OutOfMemoryError("injected"));
        ContinuousBatchingEngine engine = engine(batch, BatchingMode.ACT, Duration.ZERO);

        CompletableFuture<SolveResult> running = engine.submit(puzzle(1, 3, 100));
        ExecutionException e = assertThrows(ExecutionException.class, () -> running.get(10, TimeUnit.SECONDS));
        assertInstanceOf(EngineClosedException.class, e.getCause());
        assertInstanceOf(OutOfMemoryError.class, e.getCause().getCause());
        ExecutionException late = assertThrows(ExecutionException.class,
                () -> engine.submit(puzzle(2, 1, 1)).get(10, TimeUnit.SECONDS));
        assertInstanceOf(OutOfMemoryError.class, late.getCause().getCause());
        assertTrue(batch.isClosed());
        assertEquals(0, engine.pending());
    }

    @Test
    void aThrowingStepListenerIsIgnored() throws Exception {
        ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(new ScriptedSlotBatch(hrm(), 1),
                new EngineConfig(BatchingMode.ACT, Duration.ZERO), Runnable::run, stats -> {
                    throw new IllegalStateException("listener bug");
                });
        toClose.add(engine);

        assertEquals(2, await(engine.submit(puzzle(1, 2, 100))).steps());
        assertEquals(3, await(engine.submit(puzzle(2, 3, 100))).steps());
    }

    @Test
    void aFailingLoadFailsOnlyThatPuzzle() throws Exception {
        ScriptedSlotBatch batch = new ScriptedSlotBatch(hrm(), 2);
        batch.failLoadOfPuzzle(id -> id == 666);
        ContinuousBatchingEngine engine = engine(batch, BatchingMode.ACT, Duration.ZERO);

        CompletableFuture<SolveResult> bad = engine.submit(puzzle(666, 1, 100));
        CompletableFuture<SolveResult> good = engine.submit(puzzle(1, 2, 100));

        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("injected load failure"));
        assertEquals(2, await(good).steps());
    }

    @Test
    void aRequestTheModelCannotTakeFailsWithAClearReasonAndIsNeverLoaded() throws Exception {
        ScriptedSlotBatch batch = new ScriptedSlotBatch(hrm(), 1);
        ContinuousBatchingEngine engine = engine(batch, BatchingMode.ACT, Duration.ZERO);

        assertRejected(engine.submit(new SolveRequest("short", new int[SEQ_LEN - 1], 0, 4)), "expected 9 tokens");
        int[] outside = new int[SEQ_LEN];
        outside[4] = VOCAB;
        assertRejected(engine.submit(new SolveRequest("vocab", outside, 0, 4)), "token 11 at position 4");
        assertRejected(engine.submit(new SolveRequest("id", new int[SEQ_LEN], ScriptedSlotBatch.NUM_PUZZLE_IDENTIFIERS, 4)),
                "puzzle identifier " + ScriptedSlotBatch.NUM_PUZZLE_IDENTIFIERS);
        assertEquals(1, await(engine.submit(puzzle(1, 1, 4))).steps());
        assertEquals(List.of("load 0 p1", "step [0]"), batch.events());
    }

    // ---- threads ----

    @Test
    void aBlockingCallbackDoesNotStallInference() throws Exception {
        ExecutorService callbacks = Executors.newCachedThreadPool();
        toClose.add(callbacks::shutdownNow);
        Semaphore permits = new Semaphore(0);
        ScriptedSlotBatch batch = new ScriptedSlotBatch(hrm(), 1, permits);
        ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(batch,
                new EngineConfig(BatchingMode.ACT, Duration.ZERO), callbacks, StepListener.NONE);
        toClose.add(engine);

        CountDownLatch release = new CountDownLatch(1);
        List<String> callbackThreads = new ArrayList<>();
        CompletableFuture<SolveResult> first = engine.submit(puzzle(1, 1, 100));
        CompletableFuture<Void> blocked = first.thenRun(() -> {
            synchronized (callbackThreads) {
                callbackThreads.add(Thread.currentThread().getName());
            }
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        permits.release(100);
        SolveResult later = await(engine.submit(puzzle(2, 2, 100)));

        assertEquals(2, later.steps());
        assertFalse(blocked.isDone(), "the first puzzle's stage is still blocked");
        release.countDown();
        blocked.get(10, TimeUnit.SECONDS);
        assertFalse(callbackThreads.get(0).startsWith("hrm-engine"), callbackThreads.toString());
    }

    @Test
    void manyConcurrentSubmittersAllGetTheirOwnResults() throws Exception {
        List<StepStats> observed = new ArrayList<>();
        ScriptedSlotBatch batch = new ScriptedSlotBatch(hrm(), 16);
        ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(batch,
                new EngineConfig(BatchingMode.ACT, Duration.ofMillis(1)), Executors.newFixedThreadPool(2, r -> {
                    Thread t = new Thread(r, "callbacks");
                    t.setDaemon(true);
                    return t;
                }), observed::add);
        toClose.add(engine);

        int threads = 8;
        int perThread = 150;
        CountDownLatch start = new CountDownLatch(1);
        List<List<CompletableFuture<SolveResult>>> perSubmitter = new ArrayList<>();
        List<SolveRequest> requests = new ArrayList<>();
        for (int t = 0; t < threads; t++) perSubmitter.add(new ArrayList<>());
        Random random = new Random(7);
        for (int i = 0; i < threads * perThread; i++) {
            requests.add(puzzle(i, random.nextInt(HALT_MAX_STEPS + 1), 1 + random.nextInt(HALT_MAX_STEPS + 2)));
        }
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * perThread;
            List<CompletableFuture<SolveResult>> mine = perSubmitter.get(t);
            Thread submitter = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) mine.add(engine.submit(requests.get(offset + i)));
            });
            submitter.start();
            submitters.add(submitter);
        }
        start.countDown();
        for (Thread submitter : submitters) submitter.join();

        long stepsOfAllResults = 0;
        Set<String> ids = new HashSet<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                SolveRequest request = requests.get(t * perThread + i);
                SolveResult result = await(perSubmitter.get(t).get(i));
                int haltAt = request.tokens()[0];
                int cap = Math.min(request.maxSteps(), HALT_MAX_STEPS);
                int expectedSteps = haltAt > 0 ? Math.min(haltAt, cap) : cap;
                assertEquals(request.requestId(), result.requestId());
                assertEquals(expectedSteps, result.steps(), request.requestId());
                assertArrayEquals(ScriptedSlotBatch.predictionAfter(request.tokens(), expectedSteps, VOCAB),
                        result.tokens(), request.requestId());
                stepsOfAllResults += result.steps();
                ids.add(result.requestId());
            }
        }
        assertEquals(threads * perThread, ids.size());
        assertEquals(0, engine.pending());
        engine.close(); // joins the inference thread: its last listener call is visible after this
        EngineStats stats = engine.stats();
        assertEquals(threads * perThread, stats.completed());
        assertEquals(stepsOfAllResults, stats.slotSteps(), "every slot-step belongs to exactly one puzzle");
        assertEquals(stats.steps(), observed.size(), "one listener call per step");
        assertEquals(stats.slotSteps(), observed.stream().mapToLong(StepStats::occupiedSlots).sum());
        assertEquals(stats.completed(), observed.stream().mapToLong(StepStats::halted).sum());
    }

    // ---- helpers ----

    private static ModelDescriptor hrm() {
        return ScriptedSlotBatch.descriptor(SEQ_LEN, VOCAB, HALT_MAX_STEPS, HaltRule.Q_HALT_ABOVE_Q_CONTINUE);
    }

    private ContinuousBatchingEngine engine(ScriptedSlotBatch batch, BatchingMode mode, Duration maxWait) {
        ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(batch, new EngineConfig(mode, maxWait));
        toClose.add(engine);
        return engine;
    }

    /** A puzzle labelled {@code label} (its request id and puzzle identifier) whose q says halt at {@code haltAt}. */
    private static SolveRequest puzzle(int label, int haltAt, int maxSteps) {
        return new SolveRequest("r" + label, tokens(label, haltAt), label, maxSteps);
    }

    private static int[] tokens(int label, int haltAt) {
        int[] tokens = new int[SEQ_LEN];
        tokens[0] = haltAt;
        for (int i = 1; i < SEQ_LEN; i++) tokens[i] = (label * 7 + i) % VOCAB;
        return tokens;
    }

    private static int[] expectedTokens(int label, int haltAt, int steps) {
        return ScriptedSlotBatch.predictionAfter(tokens(label, haltAt), steps, VOCAB);
    }

    private static SolveResult await(CompletableFuture<SolveResult> future)
            throws ExecutionException, InterruptedException, TimeoutException {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static void awaitAll(List<CompletableFuture<SolveResult>> futures) throws Exception {
        for (CompletableFuture<SolveResult> future : futures) await(future);
    }

    private static void assertRejected(CompletableFuture<SolveResult> future, String reason) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains(reason), e.getCause().getMessage());
    }
}
