package io.hrmstream.worker.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.hrmstream.worker.djl.GradMode;
import io.hrmstream.worker.engine.ModelDescriptor;
import io.hrmstream.worker.engine.SlotBatch;
import io.hrmstream.worker.model.HaltRule;
import io.hrmstream.worker.model.InnerCarry;
import io.hrmstream.worker.model.InnerOutput;
import io.hrmstream.worker.model.ModelConfig;
import io.hrmstream.worker.model.ReasoningModel;

import java.util.Arrays;

/**
 * {@link SlotBatch} on DJL: the carries of {@code capacity} puzzles stay resident on the model's device as
 * z_H, z_L [capacity, S+P, hidden]. A step gathers only the stepped slots into a compact batch, runs the inner model
 * on it, and scatters the new carry back, so a lone puzzle costs one row whatever the capacity. Rows never interact
 * in the model (attention and norms are per puzzle), so a puzzle's results do not depend on its neighbours.
 * <p>
 * A loaded slot restarts from H_init/L_init at its next step (the official {@code reset_carry} on halted rows).
 * Tokens and puzzle identifiers stay in Java arrays; each step's temporaries live in one NDScope, so stepping is
 * flat in memory. Not thread-safe: the engine's inference thread owns it.
 */
public final class ResidentSlotBatch implements SlotBatch {

    private final ReasoningModel model;
    private final ModelConfig config;
    private final int capacity;
    private final ModelDescriptor descriptor;
    private final NDManager manager;
    private final NDArray zH;                    // [capacity, S+P, hidden]
    private final NDArray zL;                    // [capacity, S+P, hidden]
    private final int[][] tokens;                // [capacity][S]
    private final int[] puzzleIdentifiers;       // [capacity]
    private final boolean[] loaded;
    private final boolean[] fresh;               // loaded since the slot's last step: restart from H_init/L_init
    private boolean closed;

    /**
     * @param model    the model (not owned: closing the batch leaves it open)
     * @param capacity slots
     * @param name     model name reported in solutions
     * @param task     the task the vocabulary encodes (sudoku, maze, arc)
     */
    public ResidentSlotBatch(ReasoningModel model, int capacity, String name, String task) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, not " + capacity);
        }
        this.model = model;
        this.config = model.config();
        this.capacity = capacity;
        this.descriptor = new ModelDescriptor(name, task, config.architecture().shortName(), config.seqLen(),
                config.vocabSize(), config.numPuzzleIdentifiers(), config.haltMaxSteps(), config.haltRule(),
                model.device().device().toString());
        this.manager = model.manager().newSubManager();
        Shape state = new Shape(capacity, config.stateLength(), config.hiddenSize());
        this.zH = manager.zeros(state, model.device().dataType());
        this.zL = manager.zeros(state, model.device().dataType());
        this.tokens = new int[capacity][];
        this.puzzleIdentifiers = new int[capacity];
        this.loaded = new boolean[capacity];
        this.fresh = new boolean[capacity];
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public void load(int slot, int[] puzzleTokens, int puzzleIdentifier) {
        ensureOpen();
        if (slot < 0 || slot >= capacity) {
            throw new IllegalArgumentException("slot " + slot + " outside 0.." + (capacity - 1));
        }
        if (puzzleTokens.length != config.seqLen()) {
            throw new IllegalArgumentException("puzzle has " + puzzleTokens.length + " tokens, the model takes "
                    + config.seqLen());
        }
        for (int i = 0; i < puzzleTokens.length; i++) {
            if (puzzleTokens[i] < 0 || puzzleTokens[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("token " + puzzleTokens[i] + " at position " + i
                        + " outside the vocabulary 0.." + (config.vocabSize() - 1));
            }
        }
        if (puzzleIdentifier < 0 || puzzleIdentifier >= config.numPuzzleIdentifiers()) {
            throw new IllegalArgumentException("puzzle identifier " + puzzleIdentifier + " outside 0.."
                    + (config.numPuzzleIdentifiers() - 1));
        }
        tokens[slot] = puzzleTokens.clone();
        puzzleIdentifiers[slot] = puzzleIdentifier;
        loaded[slot] = true;
        fresh[slot] = true;
    }

    @Override
    public StepOutput step(int[] slots) {
        ensureOpen();
        checkSlots(slots);
        int n = slots.length;
        int seqLen = config.seqLen();
        if (n == 0) {
            return new StepOutput(new float[0], new float[0], new int[0][]);
        }
        long[] slotIndex = new long[n];
        boolean[] restart = new boolean[n];
        int[] stepTokens = new int[n * seqLen];
        int[] stepIds = new int[n];
        for (int r = 0; r < n; r++) {
            int slot = slots[r];
            slotIndex[r] = slot;
            restart[r] = fresh[slot];
            System.arraycopy(tokens[slot], 0, stepTokens, r * seqLen, seqLen);
            stepIds[r] = puzzleIdentifiers[slot];
        }

        float[] qHalt;
        float[] qContinue;
        int[] argmax;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDIndex rows = new NDIndex("{}", manager.create(slotIndex));                      // [n]
            InnerCarry gathered = new InnerCarry(zH.get(rows), zL.get(rows));                 // [n, S+P, hidden] x 2
            InnerCarry carry = model.resetCarry(manager.create(restart), gathered);           // [n, S+P, hidden] x 2
            NDArray inputs = manager.create(stepTokens, new Shape(n, seqLen));                // [n, S]
            NDArray ids = manager.create(stepIds);                                            // [n]

            // libtorch's grad mode is per thread and starts on: on this engine thread too, serving records no
            // autograd graph (and djl.Temporaries may write into the step's own temporaries)
            InnerOutput out = GradMode.disabled(() -> model.forward(carry, inputs, ids));

            zH.set(rows, out.carry().zH());                                                   // scatter back
            zL.set(rows, out.carry().zL());
            qHalt = out.qHalt().toFloatArray();                                               // [n]
            qContinue = out.qContinue().toFloatArray();                                       // [n]
            argmax = out.logits().argMax(2).toType(DataType.INT32, false).toIntArray();       // [n, S]
        }

        if (config.haltRule() == HaltRule.Q_HALT_ABOVE_ZERO) {
            Arrays.fill(qContinue, Float.NaN);    // TRM without a trained continue head
        }
        int[][] predictions = new int[n][];
        for (int r = 0; r < n; r++) {
            predictions[r] = Arrays.copyOfRange(argmax, r * seqLen, (r + 1) * seqLen);
            fresh[slots[r]] = false;
        }
        return new StepOutput(qHalt, qContinue, predictions);
    }

    private void checkSlots(int[] slots) {
        for (int r = 0; r < slots.length; r++) {
            int slot = slots[r];
            if (slot < 0 || slot >= capacity) {
                throw new IllegalArgumentException("slot " + slot + " outside 0.." + (capacity - 1));
            }
            if (r > 0 && slot <= slots[r - 1]) {
                throw new IllegalArgumentException("slots must be distinct and ascending: " + Arrays.toString(slots));
            }
            if (!loaded[slot]) {
                throw new IllegalStateException("slot " + slot + " holds no puzzle");
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("slot batch is closed");
        }
    }

    /** Frees the resident state; the model stays open. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }
}
