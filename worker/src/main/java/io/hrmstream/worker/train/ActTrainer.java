package io.hrmstream.worker.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.hrmstream.worker.djl.GradMode;
import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.HaltRule;
import io.hrmstream.worker.model.InnerCarry;
import io.hrmstream.worker.model.InnerOutput;
import io.hrmstream.worker.model.ModelConfig;
import io.hrmstream.worker.model.PuzzleEmbedding;
import io.hrmstream.worker.model.ReasoningModel;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One official ACT training step per call ({@code *_ACTV1.forward} in train mode plus {@code ACTLossHead} plus an
 * optimizer step): the carry persists across calls and only halted rows take new puzzles, as in pretrain.py, which
 * is the same slot refill the serving engine does.
 * <ol>
 *   <li>halted rows take the next puzzle from the source and restart from H_init/L_init, steps 0;</li>
 *   <li>one inner forward with the one-step gradient;</li>
 *   <li>halting (no gradient): steps + 1; halt at halt_max_steps, or when q_halt > q_continue (TRM: q_halt > 0),
 *       but with probability halt_exploration_prob not before a random minimum in [2, halt_max_steps];</li>
 *   <li>HRM only: the bootstrapped target sigmoid(last step ? next q_halt : max(next q_halt, next q_continue)) from
 *       one more no-gradient forward on the new carry;</li>
 *   <li>loss = lm + 0.5 (q_halt BCE + q_continue BCE) over the batch, times 1/batch, backward, AdamW on the
 *       parameters and, when the model has a puzzle-embedding table, sign-SGD on the batch's rows of it
 *       ({@link SparseEmbeddingSignSgd}); each row reads the table at its puzzle's identifier.</li>
 * </ol>
 * Memory stays flat: each step runs in an {@link NDScope}; only the new carry survives it.
 */
public final class ActTrainer implements AutoCloseable {

    private final ReasoningModel model;
    private final Map<String, NDArray> parameters;
    private final ExampleSource source;
    private final AdamW optimizer;
    private final SparseEmbeddingSignSgd puzzleEmbOptimizer;   // null: no table, or a frozen one
    private final LrSchedule schedule;
    private final SplittableRandom random;
    private final int batchSize;
    private final int seqLen;
    private final int numPuzzleIdentifiers;
    private final int haltMaxSteps;
    private final double explorationProb;
    private final boolean trainsContinue;
    private final HaltRule haltRule;
    private final NDManager carryManager;

    // Host-side rows of the carry: current puzzle, labels, steps, halted
    private final int[][] inputs;
    private final int[][] labels;
    private final int[] puzzleIdentifiers;
    private final int[] steps;
    private final boolean[] halted;
    private InnerCarry carry;                 // z_H, z_L [B, S+P, hidden]

    /** A trainer that leaves the puzzle-embedding table (if any) as it is. */
    public ActTrainer(ReasoningModel model, ExampleSource source, AdamW optimizer, LrSchedule schedule,
                      int batchSize, long seed) {
        this(model, source, optimizer, null, schedule, batchSize, seed);
    }

    /** @param puzzleEmbOptimizer the puzzle-embedding table's optimizer, or null to leave the table as it is */
    public ActTrainer(ReasoningModel model, ExampleSource source, AdamW optimizer,
                      SparseEmbeddingSignSgd puzzleEmbOptimizer, LrSchedule schedule, int batchSize, long seed) {
        ModelConfig config = model.config();
        this.model = model;
        this.parameters = model.parameters();
        this.source = source;
        this.optimizer = optimizer;
        this.puzzleEmbOptimizer = puzzleEmbOptimizer;
        this.schedule = schedule;
        this.random = new SplittableRandom(seed);
        this.batchSize = batchSize;
        this.seqLen = config.seqLen();
        this.numPuzzleIdentifiers = config.numPuzzleIdentifiers();
        this.haltMaxSteps = config.haltMaxSteps();
        this.explorationProb = config.haltExplorationProb();
        this.trainsContinue = config.architecture() == Architecture.HRM_ACT_V1 || !config.noActContinue();
        this.haltRule = config.haltRule();   // the one rule serving and evaluation use too
        this.carryManager = model.manager().newSubManager();
        this.inputs = new int[batchSize][];
        this.labels = new int[batchSize][];
        this.puzzleIdentifiers = new int[batchSize];
        this.steps = new int[batchSize];
        this.halted = new boolean[batchSize];
        Arrays.fill(halted, true);            // initial_carry: every row halted, so the first step loads puzzles
        parameters.values().forEach(p -> p.setRequiresGradient(true));
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            this.carry = model.initialCarry(batchSize);
            keep(carry);
        }
    }

    public ReasoningModel model() {
        return model;
    }

    /** Rows halted after the last step: they take new puzzles at the next one. */
    boolean[] halted() {
        return halted.clone();
    }

    int[] steps() {
        return steps.clone();
    }

    int[] rowInputs(int row) {
        return inputs[row];
    }

    /** Each row's puzzle identifier: the table row it reads. */
    int[] puzzleIdentifiers() {
        return puzzleIdentifiers.clone();
    }

    /** One training step at the schedule's rate for optimizer step {@code stepIndex}. */
    public StepMetrics step(int stepIndex) {
        boolean[] reset = refillHaltedRows();
        StepMetrics metrics;
        InnerCarry next;
        try (NDScope scope = new NDScope(); NDManager m = carryManager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray resetFlag = m.create(reset);                                                   // [B] boolean
            InnerCarry start = model.resetCarry(resetFlag, carry);                                 // [B, S+P, h]
            NDArray tokens = m.create(flatten(inputs), new Shape(batchSize, seqLen));              // [B, S] int32
            NDArray targets = m.create(lossLabels(flatten(labels)), new Shape(batchSize, seqLen));  // [B, S] int32
            NDArray puzzleIds = m.create(puzzleIdentifiers);                                       // [B] int32
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                InnerOutput out = model.forward(start, tokens, puzzleIds);
                next = out.carry();
                float[] qHalt = out.qHalt().toFloatArray();
                float[] qContinue = out.qContinue().toFloatArray();
                int[] predicted = out.logits().argMax(-1).toType(DataType.INT32, false).toIntArray();   // [B*S]

                boolean[] isLast = new boolean[batchSize];
                for (int b = 0; b < batchSize; b++) {
                    steps[b]++;
                    isLast[b] = steps[b] >= haltMaxSteps;
                    boolean halt = isLast[b];
                    if (haltMaxSteps > 1) {
                        halt |= haltRule.halts(qHalt[b], qContinue[b]);
                        int minHaltSteps = random.nextDouble() < explorationProb ? random.nextInt(2, haltMaxSteps + 1) : 0;
                        halt &= steps[b] >= minHaltSteps;
                    }
                    halted[b] = halt;
                }
                float[] qContinueTarget = trainsContinue && haltMaxSteps > 1
                        ? continueTargets(next, tokens, puzzleIds, isLast) : null;

                RowScores scores = RowScores.of(predicted, labels, seqLen);
                ActLosses.StepLoss loss = ActLosses.stepLoss(out.logits(), targets.toType(DataType.INT64, false),
                        m.create(scores.divisors()), out.qHalt(), m.create(scores.correctness()),
                        out.qContinue(), qContinueTarget == null ? null : m.create(qContinueTarget));
                NDArray total = loss.total();                                                      // scalar
                if (!Float.isFinite(total.getFloat())) {
                    // Skip the update (as a loss scaler does) and restart every row from H_init/L_init: a bad carry
                    // cannot poison the next steps. The run gives up after a few such steps in a row.
                    Arrays.fill(halted, true);
                    return new StepMetrics(Double.NaN, Double.NaN, Double.NaN, total.getFloat(), 0,
                            Double.NaN, Double.NaN, Double.NaN, Double.NaN, "non-finite loss " + total.getFloat());
                }
                collector.backward(total);
                metrics = scores.metrics(halted, steps, qHalt, loss.lm().getFloat() / batchSize,
                        loss.qHalt().getFloat() / batchSize,
                        loss.qContinue() == null ? 0 : loss.qContinue().getFloat() / batchSize, total.getFloat());
            }
            List<String> nonFinite = update(stepIndex);
            if (!nonFinite.isEmpty()) {
                Arrays.fill(halted, true);   // as for a non-finite loss: no update, every row restarts
                metrics = metrics.skipped("non-finite gradient of " + nonFinite);
            }
            keep(next);
        }
        carry.zH().close();
        carry.zL().close();
        carry = next;
        return metrics;
    }

    /**
     * AdamW on the parameters and sign-SGD on the batch's table rows, or (a non-finite gradient anywhere) neither:
     * returns the names of the non-finite gradients, empty when the update was applied.
     */
    private List<String> update(int stepIndex) {
        if (puzzleEmbOptimizer != null && !puzzleEmbOptimizer.gradientIsFinite(puzzleIdentifiers)) {
            puzzleEmbOptimizer.discardGradient();
            optimizer.discardGradients(parameters);
            return List.of(PuzzleEmbedding.WEIGHTS_KEY);
        }
        List<String> nonFinite = optimizer.step(parameters, schedule.at(stepIndex));
        if (puzzleEmbOptimizer != null) {
            if (nonFinite.isEmpty()) puzzleEmbOptimizer.step(puzzleIdentifiers, stepIndex);
            else puzzleEmbOptimizer.discardGradient();
        }
        return nonFinite;
    }

    /** {@code target_q_continue}: one more forward (no gradient) on the new carry and the same puzzles. */
    private float[] continueTargets(InnerCarry next, NDArray tokens, NDArray puzzleIds, boolean[] isLast) {
        InnerOutput ahead = GradMode.disabled(() -> model.forward(next, tokens, puzzleIds));
        float[] nextHalt = ahead.qHalt().toFloatArray();
        float[] nextContinue = ahead.qContinue().toFloatArray();
        return continueTargets(nextHalt, nextContinue, isLast);
    }

    /** sigmoid(where(is_last_step, next_q_halt, max(next_q_halt, next_q_continue))), per row. */
    static float[] continueTargets(float[] nextHalt, float[] nextContinue, boolean[] isLast) {
        float[] target = new float[nextHalt.length];
        for (int b = 0; b < target.length; b++) {
            float logit = isLast[b] ? nextHalt[b] : Math.max(nextHalt[b], nextContinue[b]);
            target[b] = (float) (1 / (1 + Math.exp(-logit)));
        }
        return target;
    }

    /** Halted rows take the source's next puzzles and restart at step 0; returns which rows were reset. */
    boolean[] refillHaltedRows() {
        boolean[] reset = halted.clone();
        for (int b = 0; b < batchSize; b++) {
            if (reset[b]) {
                TrainingExample e = source.next();
                if (e.inputs().length != seqLen) {
                    throw new IllegalArgumentException("puzzle of " + e.inputs().length + " tokens for a model of seq_len " + seqLen);
                }
                if (e.puzzleIdentifier() >= numPuzzleIdentifiers) {
                    throw new IllegalArgumentException("puzzle identifier " + e.puzzleIdentifier()
                            + " for a model of num_puzzle_identifiers " + numPuzzleIdentifiers);
                }
                inputs[b] = e.inputs();
                labels[b] = e.labels();
                puzzleIdentifiers[b] = e.puzzleIdentifier();
                steps[b] = 0;
                halted[b] = false;
            }
        }
        return reset;
    }

    private static int[] flatten(int[][] rows) {
        int[] flat = new int[rows.length * rows[0].length];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], 0, flat, b * rows[b].length, rows[b].length);
        }
        return flat;
    }

    /** Label token 0 (pad) becomes the ignore label, as the official dataset builders write it. */
    private static int[] lossLabels(int[] labels) {
        int[] out = labels.clone();
        for (int i = 0; i < out.length; i++) if (out[i] == 0) out[i] = ActLosses.IGNORE_LABEL;
        return out;
    }

    /** Moves the carry out of the step's scope into the trainer's carry manager. */
    private void keep(InnerCarry c) {
        for (NDArray a : c.arrays()) {
            NDScope.unregister(a);
            a.attach(carryManager);
        }
    }

    @Override
    public void close() {
        carryManager.close();
    }
}
