package io.hrmstream.worker.train;

/**
 * What one training step measured (the official ACT loss head's metrics). Accuracies are over the rows that halted
 * in this step ({@code valid_metrics}); NaN when none did.
 *
 * @param lmLoss         stablemax cross-entropy, per-puzzle mean over labelled cells, averaged over the batch
 * @param qHaltLoss      q_halt BCE, averaged over the batch
 * @param qContinueLoss  q_continue BCE against the bootstrapped target, averaged over the batch (TRM: 0)
 * @param totalLoss      (lm + 0.5 (q_halt + q_continue)) / batch: the differentiated value
 * @param halted         rows that halted
 * @param exactAccuracy  halted rows whose whole answer is right
 * @param cellAccuracy   mean per-puzzle fraction of right labelled cells, halted rows
 * @param qHaltAccuracy  halted rows where (q_halt >= 0) == answer right
 * @param meanSteps      mean ACT steps of halted rows
 * @param skipReason     why the optimizer update was skipped, or null when it was applied
 */
public record StepMetrics(double lmLoss, double qHaltLoss, double qContinueLoss, double totalLoss, int halted,
                          double exactAccuracy, double cellAccuracy, double qHaltAccuracy, double meanSteps,
                          String skipReason) {

    public boolean updateSkipped() {
        return skipReason != null;
    }

    StepMetrics skipped(String reason) {
        return new StepMetrics(lmLoss, qHaltLoss, qContinueLoss, totalLoss, halted, exactAccuracy, cellAccuracy,
                qHaltAccuracy, meanSteps, reason);
    }
}
