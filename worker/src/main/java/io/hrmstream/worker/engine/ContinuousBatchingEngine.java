package io.hrmstream.worker.engine;

import io.hrmstream.schemas.HaltReason;
import io.hrmstream.worker.model.HaltRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SolverEngine} that advances one resident {@link SlotBatch} on one inference thread, one ACT step at a
 * time, with per-puzzle halting and (in {@link BatchingMode#ACT}) continuous batching. Each iteration:
 * <ol>
 *   <li>admit: put queued puzzles into free slots (fresh carry). When no slot is running, wait up to
 *       {@link EngineConfig#maxWait()} for the batch to fill. While slots are running, only ACT admits;
 *       STATIC and FIXED admit once the batch has drained.</li>
 *   <li>step: one ACT step over the occupied slots.</li>
 *   <li>halt: a puzzle halts when its q logits say so under the configured {@link Halting} (by default the
 *       model's {@link HaltRule}; never in FIXED), or when it has run min(request maxSteps, step ceiling) steps
 *       (the ceiling: the model's halt_max_steps unless configured). Its answer is the last step's argmax. A
 *       puzzle whose q logits are not finite ends with a {@link NonFiniteOutputException}.</li>
 *   <li>complete: halted puzzles' futures are completed and their slots freed for the next admission.</li>
 * </ol>
 * A puzzle's steps and answer depend only on its own tokens: the model keeps each slot's carry apart, and the
 * engine decides halting per slot. A {@link SolveRequest#traced() traced} puzzle also gets every step's argmax and
 * q logits back ({@link SolveResult#trace()}), recorded from the same step output the engine halts on.
 *
 * <p>Threads: {@link #submit} may be called from any thread and never blocks on inference: it only validates
 * and enqueues (an unbounded queue; callers bound their in-flight work with {@link #pending()}). Only the inference thread touches the SlotBatch.
 * Futures are completed on the completion executor, never on the inference thread, so stages a caller chains on
 * them cannot stall inference. A load or step that throws fails the puzzles it concerned and the engine carries
 * on; an {@link Error} other than an AssertionError stops it (pending futures fail with
 * {@link EngineClosedException}). The engine owns the SlotBatch and closes it when it stops.
 *
 * <p>Written by hand: the scheduling is the product's own (per-slot ACT halting has no library counterpart);
 * queueing and hand-off use java.util.concurrent.
 */
public final class ContinuousBatchingEngine implements SolverEngine {

    private static final Logger log = LoggerFactory.getLogger(ContinuousBatchingEngine.class);

    /** Queued by {@link #close()} to wake the inference thread; never handed to the model. */
    private static final Pending CLOSE_SIGNAL = new Pending(null, null, 0, 0);

    private final SlotBatch slotBatch;
    private final ModelDescriptor model;
    private final EngineConfig config;
    private final Executor completionExecutor;
    private final StepListener stepListener;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread inferenceThread;
    private volatile boolean closed;
    private volatile Throwable fatalError;

    // Owned by the inference thread.
    private final Pending[] occupants;
    private volatile int occupied;   // written by the inference thread only; volatile for stats()
    private long iterationIdleNanos;
    private long iterationLoadNanos;
    private long iterationStepNanos;
    private int iterationFailed;

    // Written only by the inference thread, read by stats().
    private volatile long steps;
    private volatile long slotSteps;
    private volatile long completed;
    private volatile long failed;
    private volatile long cancelled;
    private volatile long stepNanos;
    private volatile long loadNanos;
    private volatile long busyNanos;

    private ContinuousBatchingEngine(SlotBatch slotBatch, EngineConfig config, Executor completionExecutor,
                                     StepListener stepListener) {
        this.slotBatch = Objects.requireNonNull(slotBatch, "slotBatch");
        this.config = Objects.requireNonNull(config, "config");
        final ModelDescriptor loaded = Objects.requireNonNull(slotBatch.descriptor(), "slotBatch.descriptor()");
        // a request that sets no maxSteps gets as many as this engine allows: the ACT rule halts it sooner
        this.model = loaded.withDefaultMaxSteps(
                config.maxStepsCeiling() > 0 ? config.maxStepsCeiling() : loaded.haltMaxSteps());
        this.completionExecutor = Objects.requireNonNull(completionExecutor, "completionExecutor");
        this.stepListener = Objects.requireNonNull(stepListener, "stepListener");
        if (slotBatch.capacity() < 1) throw new IllegalArgumentException("slot batch capacity must be >= 1");
        this.occupants = new Pending[slotBatch.capacity()];
        this.inferenceThread = new Thread(this::runLoop, "hrm-engine-" + model.name() + "-" + model.device());
        // A forgotten engine must not keep the JVM alive; the worker closes it explicitly.
        this.inferenceThread.setDaemon(true);
    }

    /**
     * Starts an engine whose futures complete on {@link ForkJoinPool#commonPool()}, without a step listener.
     * The engine takes ownership of {@code slotBatch}.
     */
    public static ContinuousBatchingEngine start(SlotBatch slotBatch, EngineConfig config) {
        return start(slotBatch, config, ForkJoinPool.commonPool(), StepListener.NONE);
    }

    /**
     * Starts an engine. The engine takes ownership of {@code slotBatch} and closes it on {@link #close()}.
     *
     * @param completionExecutor runs the completion of every future (and so the non-async stages chained on it)
     * @param stepListener       called on the inference thread after every iteration; must not block
     */
    public static ContinuousBatchingEngine start(SlotBatch slotBatch, EngineConfig config,
                                                 Executor completionExecutor, StepListener stepListener) {
        ContinuousBatchingEngine engine =
                new ContinuousBatchingEngine(slotBatch, config, completionExecutor, stepListener);
        engine.inferenceThread.start();
        log.info("Engine started: model={} device={} capacity={} mode={} maxWait={}", engine.model.name(),
                engine.model.device(), engine.occupants.length, config.mode(), config.maxWait());
        return engine;
    }

    @Override
    public ModelDescriptor model() {
        return model;
    }

    public EngineConfig config() {
        return config;
    }

    /** Slots in the resident batch (the largest batch one step runs). */
    public int capacity() {
        return occupants.length;
    }

    /**
     * Queues a puzzle; never blocks. A request the model cannot take (token count, a token outside the
     * vocabulary, a puzzle identifier without an embedding row) gets a future failed with an
     * IllegalArgumentException saying why; after close, one failed with {@link EngineClosedException}.
     */
    @Override
    public SolveFuture submit(SolveRequest request) {
        Objects.requireNonNull(request, "request");
        String invalid = invalidReason(request);
        if (invalid != null) {
            return SolveFuture.failed(new IllegalArgumentException("request " + request.requestId() + ": " + invalid));
        }
        if (closed) return SolveFuture.failed(closedException());
        // The caller may reuse its token array; the slot must see the tokens as they were at submit.
        Pending entry = new Pending(request, request.tokens().clone(),
                Math.min(request.maxSteps(), stepCeiling()), System.nanoTime());
        pending.incrementAndGet();
        queue.add(entry);
        // A close that drained the queue before our add would strand the entry: take it back and fail it.
        if (closed && queue.remove(entry)) failHere(entry, closedException());
        return entry.future;
    }

    /** The largest step cap a puzzle may run under: the configured ceiling, else the model's halt_max_steps. */
    @Override
    public int stepCeiling() {
        return model.defaultMaxSteps();
    }

    @Override
    public int pending() {
        return pending.get();
    }

    public EngineStats stats() {
        return new EngineStats(steps, slotSteps, completed, failed, cancelled, stepNanos, loadNanos, busyNanos,
                queue.size(), occupied);
    }

    /**
     * Stops the inference thread after its current step and waits for it; every puzzle not yet completed
     * (queued or in a slot) fails with {@link EngineClosedException}, then the slot batch is closed. Idempotent.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            queue.add(CLOSE_SIGNAL);
        }
        if (Thread.currentThread() != inferenceThread) {
            try {
                inferenceThread.join();
            } catch (InterruptedException e) {
                // The inference thread still fails what is left when it stops.
                Thread.currentThread().interrupt();
                return;
            }
        }
        failQueued(false);
    }

    private String invalidReason(SolveRequest request) {
        int[] tokens = request.tokens();
        if (tokens == null) return "tokens missing";
        if (tokens.length != model.seqLen()) {
            return "expected " + model.seqLen() + " tokens for model " + model.name() + ", got " + tokens.length;
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= model.vocabSize()) {
                return "token " + tokens[i] + " at position " + i + " is outside the vocabulary [0, "
                        + model.vocabSize() + ")";
            }
        }
        int id = request.puzzleIdentifier();
        if (id < 0 || id >= model.numPuzzleIdentifiers()) {
            return "puzzle identifier " + id + " is outside [0, " + model.numPuzzleIdentifiers() + ")";
        }
        return null;
    }

    private EngineClosedException closedException() {
        Throwable cause = fatalError;
        return cause == null
                ? new EngineClosedException("engine for model " + model.name() + " is closed")
                : new EngineClosedException("engine for model " + model.name() + " stopped: " + cause, cause);
    }

    private void runLoop() {
        try {
            while (!closed) {
                long iterationStart = System.nanoTime();
                iterationIdleNanos = 0;
                iterationLoadNanos = 0;
                iterationStepNanos = 0;
                iterationFailed = 0;
                if (!admit()) break;
                if (evictCancelled() > 0 && !admit()) break;   // freed slots are refilled before the step
                int stepped = occupied;
                int halted = stepped > 0 ? stepOccupied() : 0;
                long iterationNanos = System.nanoTime() - iterationStart;
                loadNanos += iterationLoadNanos;
                busyNanos += iterationNanos - iterationIdleNanos;
                if (stepped > 0 || iterationFailed > 0) {
                    notifyListener(new StepStats(stepped, halted, iterationFailed, queue.size(), iterationStepNanos,
                            iterationLoadNanos, iterationIdleNanos, iterationNanos));
                }
            }
        } catch (InterruptedException e) {
            log.warn("Inference thread of {} interrupted; stopping", model.name());
        } catch (Throwable t) {
            fatalError = t;
            log.error("Inference thread of {} stopped by {}", model.name(), t.toString(), t);
        } finally {
            closed = true;
            // Release the model's memory first: whoever sees a future fail can count on the engine being down.
            try {
                slotBatch.close();
            } catch (RuntimeException e) {
                log.warn("Closing the slot batch of {} failed", model.name(), e);
            }
            EngineClosedException closing = closedException();
            for (int slot = 0; slot < occupants.length; slot++) {
                if (occupants[slot] != null) {
                    failOnInferenceThread(occupants[slot], closing);
                    occupants[slot] = null;
                }
            }
            occupied = 0;
            failQueued(true);
            log.info("Engine stopped: model={} steps={} completed={} failed={}", model.name(), steps, completed,
                    failed);
        }
    }

    /** Fills free slots as the mode allows; false when close was signalled. */
    private boolean admit() throws InterruptedException {
        if (occupied == 0) {
            Pending first = takeIdle();
            if (first == CLOSE_SIGNAL) return false;
            load(first);
            long deadline = System.nanoTime() + config.maxWait().toNanos();
            while (occupied < occupants.length) {
                long remaining = deadline - System.nanoTime();
                Pending next = remaining > 0 ? pollIdle(remaining) : queue.poll();
                if (next == null) break;
                if (next == CLOSE_SIGNAL) return false;
                load(next);
            }
        } else if (config.mode().refillsWhileRunning()) {
            while (occupied < occupants.length) {
                Pending next = queue.poll();
                if (next == null) break;
                if (next == CLOSE_SIGNAL) return false;
                load(next);
            }
        }
        return true;
    }

    private Pending takeIdle() throws InterruptedException {
        long start = System.nanoTime();
        Pending next = queue.take();
        iterationIdleNanos += System.nanoTime() - start;
        return next;
    }

    private Pending pollIdle(long timeoutNanos) throws InterruptedException {
        long start = System.nanoTime();
        Pending next = queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        iterationIdleNanos += System.nanoTime() - start;
        return next;
    }

    /** Puts a puzzle into the lowest free slot; a puzzle cancelled while it queued is dropped instead. */
    private void load(Pending entry) {
        if (entry.future.isCancelled()) {
            pending.decrementAndGet();
            cancelled++;
            return;
        }
        int slot = 0;
        while (occupants[slot] != null) slot++;
        long start = System.nanoTime();
        try {
            slotBatch.load(slot, entry.tokens, entry.request.puzzleIdentifier());
        } catch (RuntimeException | AssertionError e) {
            log.warn("Loading request {} into slot {} failed", entry.request.requestId(), slot, e);
            failOnInferenceThread(entry, e);
            failed++;
            iterationFailed++;
            return;
        } finally {
            iterationLoadNanos += System.nanoTime() - start;
        }
        occupants[slot] = entry;
        occupied++;
    }

    /** Frees the slots of puzzles whose futures were cancelled since the last step; returns how many. */
    private int evictCancelled() {
        int evicted = 0;
        for (int slot = 0; slot < occupants.length; slot++) {
            Pending entry = occupants[slot];
            if (entry != null && entry.future.isCancelled()) {
                occupants[slot] = null;
                occupied--;
                pending.decrementAndGet();
                cancelled++;
                evicted++;
            }
        }
        return evicted;
    }

    /** Runs one ACT step over the occupied slots and completes the puzzles that halt; returns how many halted. */
    private int stepOccupied() {
        int[] stepped = new int[occupied];
        for (int slot = 0, i = 0; slot < occupants.length; slot++) {
            if (occupants[slot] != null) stepped[i++] = slot;
        }
        long start = System.nanoTime();
        SlotBatch.StepOutput out;
        try {
            out = slotBatch.step(stepped);
            checkOutput(out, stepped.length);
        } catch (RuntimeException | AssertionError e) {
            iterationStepNanos = System.nanoTime() - start;
            stepNanos += iterationStepNanos;
            log.warn("ACT step of {} over slots {} failed; failing their puzzles", model.name(),
                    Arrays.toString(stepped), e);
            for (int slot : stepped) {
                failOnInferenceThread(occupants[slot], e);
                occupants[slot] = null;
                failed++;
                iterationFailed++;
            }
            occupied = 0;
            return 0;
        }
        long end = System.nanoTime();
        iterationStepNanos = end - start;
        steps++;
        slotSteps += stepped.length;
        stepNanos += iterationStepNanos;

        HaltRule rule = model.haltRule();
        Halting halting = config.halting();
        boolean honoursQ = config.mode().honoursQHalt();
        int halted = 0;
        for (int i = 0; i < stepped.length; i++) {
            int slot = stepped[i];
            Pending entry = occupants[slot];
            if (entry.steps == 0) entry.firstStepNanos = start;
            entry.steps++;
            entry.future.stepped(entry.steps);
            float qHalt = out.qHalt()[i];
            float qContinue = out.qContinue()[i];
            // q_continue is only read where the model has a continue head (TRM without one reports NaN there)
            boolean finite = Float.isFinite(qHalt)
                    && (rule == HaltRule.Q_HALT_ABOVE_ZERO || Float.isFinite(qContinue));
            if (!finite) {
                // a NaN or infinite q means the carry is garbage: end this puzzle with an error, not an answer
                occupants[slot] = null;
                occupied--;
                failed++;
                iterationFailed++;
                failOnInferenceThread(entry, new NonFiniteOutputException("non-finite model output at step "
                        + entry.steps + " of request " + entry.request.requestId() + ": q_halt " + qHalt
                        + ", q_continue " + qContinue));
                continue;
            }
            boolean modelHalts = honoursQ && halting.halts(rule, qHalt, qContinue);
            if (entry.trace != null) {
                entry.trace.add(new TracedStep(entry.steps, out.predictions()[i].clone(), qHalt, qContinue,
                        modelHalts));
            }
            if (modelHalts || entry.steps >= entry.maxSteps) {
                SolveResult result = new SolveResult(entry.request.requestId(), out.predictions()[i].clone(),
                        entry.steps, entry.maxSteps, modelHalts ? HaltReason.Q_HALT : HaltReason.MAX_STEPS,
                        sigmoid(qHalt), stepped.length, entry.firstStepNanos - entry.submittedNanos,
                        end - entry.firstStepNanos, entry.trace == null ? List.of() : entry.trace);
                occupants[slot] = null;
                occupied--;
                completed++;
                pending.decrementAndGet();
                handOff(() -> entry.future.complete(result));
                halted++;
            }
        }
        return halted;
    }

    private void checkOutput(SlotBatch.StepOutput out, int n) {
        if (out == null || out.qHalt() == null || out.qContinue() == null || out.predictions() == null
                || out.qHalt().length != n || out.qContinue().length != n || out.predictions().length != n) {
            throw new IllegalStateException("slot batch returned a step output not aligned with its " + n
                    + " slots");
        }
        for (int[] prediction : out.predictions()) {
            if (prediction == null || prediction.length != model.seqLen()) {
                throw new IllegalStateException("slot batch returned a prediction that is not "
                        + model.seqLen() + " tokens long");
            }
        }
    }

    /** Fails a puzzle from the inference thread: the future completes on the completion executor. */
    private void failOnInferenceThread(Pending entry, Throwable cause) {
        pending.decrementAndGet();
        handOff(() -> entry.future.completeExceptionally(cause));
    }

    /** Fails a puzzle from a submitting or closing thread, which may run the caller's stages itself. */
    private void failHere(Pending entry, Throwable cause) {
        pending.decrementAndGet();
        entry.future.completeExceptionally(cause);
    }

    private void failQueued(boolean onInferenceThread) {
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        EngineClosedException closing = closedException();
        for (Pending entry : left) {
            if (entry == CLOSE_SIGNAL) continue;
            if (onInferenceThread) failOnInferenceThread(entry, closing);
            else failHere(entry, closing);
        }
    }

    private void handOff(Runnable completion) {
        try {
            completionExecutor.execute(completion);
        } catch (RejectedExecutionException e) {
            // An executor shut down before the engine: complete here rather than lose the future.
            completion.run();
        }
    }

    private void notifyListener(StepStats stats) {
        try {
            stepListener.onStep(stats);
        } catch (RuntimeException e) {
            log.warn("Step listener of {} threw; ignored", model.name(), e);
        }
    }

    private static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /** A submitted puzzle; its mutable fields belong to the inference thread. */
    private static final class Pending {
        final SolveRequest request;
        final int[] tokens;
        final int maxSteps;
        final long submittedNanos;
        final SolveFuture future = new SolveFuture();
        /** Every step so far, only for a traced request: an untraced one allocates nothing per step. */
        final List<TracedStep> trace;
        long firstStepNanos;
        int steps;

        Pending(SolveRequest request, int[] tokens, int maxSteps, long submittedNanos) {
            this.request = request;
            this.tokens = tokens;
            this.maxSteps = maxSteps;
            this.submittedNanos = submittedNanos;
            this.trace = request != null && request.traced() ? new ArrayList<>(maxSteps) : null;
        }
    }
}
