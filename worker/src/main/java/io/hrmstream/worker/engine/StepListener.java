package io.hrmstream.worker.engine;

/**
 * Observes every engine iteration, e.g. to record Micrometer timers. Called on the inference thread after the
 * step's results are handed off: it must return quickly and must not block, or it stalls every slot.
 * An exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface StepListener {

    StepListener NONE = stats -> { };

    void onStep(StepStats stats);
}
