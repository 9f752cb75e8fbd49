package io.hrmstream.worker.train;

/**
 * The learning rate at each optimizer step: linear warm-up from 0 to {@code peak} over {@code warmupSteps}, then
 * either the official cosine decay ({@code cosine_schedule_with_warmup_lr_lambda} in pretrain.py) down to
 * {@code peak * minRatio} at {@code totalSteps}, or a step decay that multiplies by {@code minRatio} once
 * {@code dropAtFraction} of the run is done (the probe's 1e-3 to 3e-4 drop).
 *
 * @param kind           cosine or step
 * @param peak           learning rate after warm-up
 * @param warmupSteps    steps of linear warm-up
 * @param totalSteps     steps of the whole run
 * @param minRatio       final (cosine) or dropped (step) rate as a fraction of peak
 * @param dropAtFraction step decay only: where the drop happens, as a fraction of totalSteps
 */
public record LrSchedule(Kind kind, double peak, int warmupSteps, int totalSteps, double minRatio,
                         double dropAtFraction) {

    public enum Kind { COSINE, STEP }

    public LrSchedule {
        if (peak <= 0 || warmupSteps < 0 || totalSteps <= 0 || minRatio < 0 || minRatio > 1) {
            throw new IllegalArgumentException("bad learning-rate schedule " + kind + " peak=" + peak + " warmup="
                    + warmupSteps + " total=" + totalSteps + " minRatio=" + minRatio);
        }
    }

    /** The rate for the optimizer step with 0-based index {@code step}. */
    public double at(int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        return switch (kind) {
            case COSINE -> {
                double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
                yield peak * (minRatio + Math.max(0.0, (1 - minRatio) * 0.5 * (1.0 + Math.cos(Math.PI * progress))));
            }
            case STEP -> step >= dropAtFraction * totalSteps ? peak * minRatio : peak;
        };
    }
}
