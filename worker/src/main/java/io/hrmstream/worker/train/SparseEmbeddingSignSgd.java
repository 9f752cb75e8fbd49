package io.hrmstream.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.Arrays;

/**
 * The optimizer of the puzzle-embedding table, as the official {@code CastedSparseEmbeddingSignSGD_Distributed}
 * (sparse_embedding.py) on one process: each table row that some puzzle of the batch reads takes the sign of its
 * gradient (summed over those puzzles) with decoupled weight decay, {@code w <- w (1 - lr wd) - lr sign(g)} (the
 * official comment: Adam is about SignSGD when the gradient is very sparse). Rows that no puzzle of the batch reads
 * are not touched, not even decayed. The rate follows the run's schedule shape from its own peak
 * ({@code puzzle_emb_lr}), as pretrain.py schedules both optimizers. AdamW never sees the table:
 * {@code ReasoningModel.parameters()} leaves the buffer out.
 * <p>
 * The official module copies the batch's rows into a leaf of their own, so autograd computes B rows. Here the model
 * reads the table itself and DJL has no sparse gradients, so the whole table requires gradient and libtorch's
 * embedding backward fills a dense [N, D] gradient, zero on absent rows; the update reads and writes only the
 * batch's rows. That costs O(N D) a step: nothing for a row per CSV source, too much for a million-row ARC table.
 * <p>
 * Call {@link #step} after the gradient collector is closed (in-place updates of leaves are refused in grad mode).
 */
public final class SparseEmbeddingSignSgd {

    private final NDArray table;
    private final LrSchedule schedule;
    private final double weightDecay;

    /** @param table puzzle_emb.weights [num_puzzle_identifiers, puzzle_emb_ndim]; it now collects gradient */
    public SparseEmbeddingSignSgd(NDArray table, LrSchedule schedule, double weightDecay) {
        this.table = table;
        this.schedule = schedule;
        this.weightDecay = weightDecay;
        table.setRequiresGradient(true);
    }

    /** Whether the gradient of the rows read by {@code puzzleIdentifiers} is finite; one NaN would spread. */
    public boolean gradientIsFinite(int[] puzzleIdentifiers) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray g = table.getGradient();
            float sumOfSquares = g.get(rowsOf(puzzleIdentifiers)).square().sum().getFloat();
            g.close();
            return Float.isFinite(sumOfSquares);
        }
    }

    /**
     * One update of the rows read by {@code puzzleIdentifiers} (the batch's, repeats allowed) at the rate for
     * optimizer step {@code stepIndex}, then the gradient is zeroed.
     */
    public void step(int[] puzzleIdentifiers, int stepIndex) {
        double lr = schedule.at(stepIndex);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDIndex rows = rowsOf(puzzleIdentifiers);
            NDArray g = table.getGradient();
            NDArray sign = g.get(rows).sign();                                       // [U, D]
            NDArray updated = table.get(rows).mul((float) (1 - lr * weightDecay))    // decoupled decay
                    .sub(sign.mul((float) lr));
            table.set(rows, updated);
            g.close();
        }
        discardGradient();
    }

    /** Zeroes the gradient without an update: the step was skipped. */
    public void discardGradient() {
        JniUtils.zeroGrad((PtNDArray) table);
    }

    /** The distinct table rows of a batch, as an index over the table's first axis. */
    private NDIndex rowsOf(int[] puzzleIdentifiers) {
        long[] rows = Arrays.stream(puzzleIdentifiers).distinct().sorted().asLongStream().toArray();
        return new NDIndex("{}", table.getManager().create(rows));
    }
}
