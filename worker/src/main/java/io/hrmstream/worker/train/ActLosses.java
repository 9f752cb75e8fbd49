package io.hrmstream.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import io.hrmstream.worker.djl.Scalars;

/**
 * The official ACT loss terms ({@code models/losses.py}): stablemax cross-entropy for the tokens and binary
 * cross-entropy with logits for the two Q heads. Written by hand because DJL has neither stablemax nor a
 * per-element BCE-with-logits that takes soft targets.
 */
public final class ActLosses {

    /** Labels equal to this are not predicted (the official IGNORE_LABEL_ID after the pad token is mapped). */
    public static final int IGNORE_LABEL = -100;

    private ActLosses() {
    }

    /**
     * {@code s(x)}: 1 / (1 - x) for x < 0, else x + 1. The official code widens to float64 first; here it stays in
     * the logits' dtype, because DJL's {@code toType} cuts the autograd graph (measured: no grad_fn after it).
     */
    static NDArray stablemaxScore(NDArray x) {
        NDArray negative = x.lt(0);                                       // same shape, boolean
        // the clamp min(x, 0) keeps the branch where() discards finite, else its gradient is inf * 0 = NaN in
        // float32 for x >= 1 (the official float64 + 1e-30 epsilon does not survive float32)
        NDArray zero = Scalars.of(x, 0f);
        NDArray one = Scalars.of(x, 1f);
        NDArray below = one.div(one.sub(x.minimum(zero)));                // 1 / (1 - min(x, 0))
        NDArray above = x.add(one);                                        // x + 1
        return NDArrays.where(negative, below, above);
    }

    /** {@code log_stablemax(x, dim=-1)}: log(s(x) / sum s(x)) over the last axis. */
    public static NDArray logStablemax(NDArray logits) {
        NDArray s = stablemaxScore(logits);                                 // [..., V]
        return s.div(s.sum(new int[] {-1}, true)).log();                    // [..., V]
    }

    /**
     * {@code stablemax_cross_entropy}: the per-cell loss -log_stablemax(logits)[label], 0 where the label is
     * {@link #IGNORE_LABEL}.
     *
     * @param logits [B, S, V]
     * @param labels [B, S] int64, IGNORE_LABEL for cells without a target
     * @return [B, S] in the logits' dtype
     */
    public static NDArray stablemaxCrossEntropy(NDArray logits, NDArray labels) {
        NDArray valid = labels.neq(IGNORE_LABEL);                                           // [B, S]
        NDArray safeLabels = NDArrays.where(valid, labels, labels.zerosLike());             // [B, S]
        NDArray picked = logStablemax(logits)
                .gather(safeLabels.toType(DataType.INT64, false).expandDims(-1), -1)        // [B, S, 1]
                .squeeze(-1);                                                               // [B, S]
        return picked.neg().mul(valid.toType(logits.getDataType(), false));                // [B, S]
    }

    /**
     * {@code F.binary_cross_entropy_with_logits(x, y, reduction="none")} in its stable form
     * max(x, 0) - x*y + log(1 + exp(-|x|)).
     *
     * @param logits  [B] float32
     * @param targets [B] float32 in [0, 1]
     * @return [B] float32
     */
    public static NDArray binaryCrossEntropyWithLogits(NDArray logits, NDArray targets) {
        return logits.maximum(Scalars.of(logits, 0f))
                .sub(logits.mul(targets))
                .add(logits.abs().neg().exp().add(Scalars.of(logits, 1f)).log());
    }

    /**
     * The terms of one training step's loss, {@code ACTLossHead.forward} times 1/batch as pretrain.py scales it.
     *
     * @param lm        sum over puzzles of each puzzle's mean cell loss (scalar)
     * @param qHalt     q_halt BCE summed over puzzles (scalar)
     * @param qContinue q_continue BCE summed over puzzles (scalar), null when not trained
     * @param total     (lm + 0.5 (qHalt + qContinue)) / batch (scalar): what backward starts from
     */
    public record StepLoss(NDArray lm, NDArray qHalt, NDArray qContinue, NDArray total) {
    }

    /**
     * The official step loss.
     *
     * @param logits            [B, S, V]
     * @param labels            [B, S] int64, IGNORE_LABEL for cells without a target
     * @param divisors          [B] float32: labelled cells per puzzle (at least 1)
     * @param qHaltLogits       [B] float32
     * @param seqIsCorrect      [B] float32, 1 where every labelled cell is predicted right
     * @param qContinueLogits   [B] float32
     * @param qContinueTargets  [B] float32 bootstrapped targets, or null when q_continue is not trained
     */
    public static StepLoss stepLoss(NDArray logits, NDArray labels, NDArray divisors, NDArray qHaltLogits,
                                    NDArray seqIsCorrect, NDArray qContinueLogits, NDArray qContinueTargets) {
        long batch = logits.getShape().get(0);
        NDArray lm = stablemaxCrossEntropy(logits, labels).sum(new int[] {-1}).div(divisors).sum();   // scalar
        NDArray qHalt = binaryCrossEntropyWithLogits(qHaltLogits, seqIsCorrect).sum();                // scalar
        NDArray qContinue = qContinueTargets == null ? null
                : binaryCrossEntropyWithLogits(qContinueLogits, qContinueTargets).sum();              // scalar
        NDArray qTerms = qContinue == null ? qHalt : qHalt.add(qContinue);
        NDArray total = lm.add(qTerms.mul(Scalars.of(qTerms, 0.5f)))                                  // scalar
                .div(Scalars.of(lm, batch));
        return new StepLoss(lm, qHalt, qContinue, total);
    }
}
