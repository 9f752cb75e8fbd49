package io.hrmstream.worker.engine;

import io.hrmstream.worker.model.HaltRule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * A deterministic {@link SlotBatch} double. A puzzle's behaviour follows from its own tokens only, as a real
 * model's does: {@code tokens[0]} is the step at which its q_halt logit turns positive (0: never), and its
 * prediction after k steps is {@code (tokens[i] + k) % vocab}, so a wrong step count shows in the answer.
 * It logs every call as {@code "load <slot> p<puzzleIdentifier>"} or {@code "step [slots]"}, and refuses calls
 * the engine must never make (two threads, stepping an empty slot, slots out of order). Public for the console's
 * tests, which run a real engine on it.
 */
public final class ScriptedSlotBatch implements SlotBatch {

    static final int NUM_PUZZLE_IDENTIFIERS = 10_000;
    public static final float Q_HALT_WHEN_HALTING = 2f;
    public static final float Q_HALT_WHEN_CONTINUING = -2f;

    private final ModelDescriptor descriptor;
    private final int[][] tokens;
    private final int[] stepsSinceLoad;
    private final List<String> events = new ArrayList<>();
    /** When set, every step takes one permit: a test holds the engine inside a step until it releases one. */
    private final Semaphore stepPermits;
    /** Released when a step begins, so a test can wait for the engine to be inside one. */
    public final Semaphore stepsEntered = new Semaphore(0);
    /** Released after each load, so a test can wait for the engine to have taken a puzzle into a slot. */
    final Semaphore loadsDone = new Semaphore(0);
    private volatile IntPredicate failStep = step -> false;
    private volatile Supplier<Error> stepError = () -> null;
    private volatile IntPredicate failLoadOfPuzzle = puzzleIdentifier -> false;
    private volatile IntPredicate nanQForPuzzle = puzzleIdentifier -> false;
    private final int[] identifiers;
    private volatile Thread owner;
    private volatile boolean closed;
    private volatile int stepCalls;

    public ScriptedSlotBatch(ModelDescriptor descriptor, int capacity, Semaphore stepPermits) {
        this.descriptor = descriptor;
        this.tokens = new int[capacity][];
        this.identifiers = new int[capacity];
        this.stepsSinceLoad = new int[capacity];
        this.stepPermits = stepPermits;
    }

    public ScriptedSlotBatch(ModelDescriptor descriptor, int capacity) {
        this(descriptor, capacity, null);
    }

    public static ModelDescriptor descriptor(int seqLen, int vocabSize, int haltMaxSteps, HaltRule rule) {
        return new ModelDescriptor("scripted", "sudoku", "hrm_act_v1", seqLen, vocabSize, NUM_PUZZLE_IDENTIFIERS, haltMaxSteps,
                rule, "cpu()");
    }

    /** The answer this double gives a puzzle after {@code steps} steps. */
    public static int[] predictionAfter(int[] tokens, int steps, int vocabSize) {
        int[] out = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) out[i] = (tokens[i] + steps) % vocabSize;
        return out;
    }

    /** Makes the matching step calls (1-based) throw an IllegalStateException. */
    void failStep(IntPredicate stepNumber) {
        this.failStep = stepNumber;
    }

    /** Makes the matching step calls throw {@code error}, something no engine can recover from. */
    void failStepWithError(IntPredicate stepNumber, Supplier<Error> error) {
        this.stepError = error;
        this.failStep = stepNumber;
    }

    /** The puzzles whose identifier matches get a NaN q_halt at every step, as a model gone numerically bad would. */
    void nanQFor(IntPredicate puzzleIdentifiers) {
        this.nanQForPuzzle = puzzleIdentifiers;
    }

    void failLoadOfPuzzle(IntPredicate puzzleIdentifier) {
        this.failLoadOfPuzzle = puzzleIdentifier;
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    int stepCalls() {
        return stepCalls;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public int capacity() {
        return tokens.length;
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public synchronized void load(int slot, int[] puzzleTokens, int puzzleIdentifier) {
        checkThread();
        if (failLoadOfPuzzle.test(puzzleIdentifier)) {
            throw new IllegalStateException("injected load failure for puzzle " + puzzleIdentifier);
        }
        tokens[slot] = puzzleTokens.clone();
        identifiers[slot] = puzzleIdentifier;
        stepsSinceLoad[slot] = 0;
        events.add("load " + slot + " p" + puzzleIdentifier);
        loadsDone.release();
    }

    @Override
    public StepOutput step(int[] slots) {
        checkThread();
        stepsEntered.release();
        if (stepPermits != null) stepPermits.acquireUninterruptibly();
        synchronized (this) {
            int call = ++stepCalls;
            events.add("step " + Arrays.toString(slots));
            for (int i = 0; i < slots.length; i++) {
                if (tokens[slots[i]] == null) throw new IllegalStateException("stepped empty slot " + slots[i]);
                if (i > 0 && slots[i] <= slots[i - 1]) throw new IllegalStateException("slots out of order");
            }
            if (failStep.test(call)) {
                Error error = stepError.get();
                if (error != null) throw error;
                throw new IllegalStateException("injected failure of step " + call);
            }
            float[] qHalt = new float[slots.length];
            float[] qContinue = new float[slots.length];
            int[][] predictions = new int[slots.length][];
            for (int i = 0; i < slots.length; i++) {
                int slot = slots[i];
                int steps = ++stepsSinceLoad[slot];
                int haltAt = tokens[slot][0];
                qHalt[i] = haltAt > 0 && steps >= haltAt ? Q_HALT_WHEN_HALTING : Q_HALT_WHEN_CONTINUING;
                qContinue[i] = descriptor.haltRule() == HaltRule.Q_HALT_ABOVE_ZERO ? Float.NaN : 0f;
                predictions[i] = predictionAfter(tokens[slot], steps, descriptor.vocabSize());
                if (nanQForPuzzle.test(identifiers[slot])) qHalt[i] = Float.NaN;
            }
            return new StepOutput(qHalt, qContinue, predictions);
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkThread() {
        if (closed) throw new IllegalStateException("used after close");
        if (owner == null) owner = Thread.currentThread();
        if (owner != Thread.currentThread()) {
            throw new IllegalStateException("called from " + Thread.currentThread().getName() + ", owner is "
                    + owner.getName());
        }
    }
}
