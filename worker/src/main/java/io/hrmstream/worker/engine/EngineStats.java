package io.hrmstream.worker.engine;

/**
 * Cumulative counters of an engine since it started, for gauges and benchmarks. A snapshot: each field is
 * read on its own, so fields of one snapshot may be an iteration apart.
 *
 * @param steps          ACT steps run (each over all occupied slots)
 * @param slotSteps      sum over steps of the occupied slots; slotSteps / steps is the mean batch size
 * @param completed      puzzles completed with a result
 * @param failed         puzzles failed by a throwing load or step
 * @param cancelled      puzzles whose futures were cancelled before they halted (taken out before their next step)
 * @param stepNanos      time inside {@link SlotBatch#step}
 * @param loadNanos      time inside {@link SlotBatch#load}
 * @param busyNanos      time in the engine loop not spent waiting for requests
 * @param queueDepth     puzzles queued now, not yet in a slot
 * @param occupiedSlots  slots holding a puzzle now
 */
public record EngineStats(long steps, long slotSteps, long completed, long failed, long cancelled,
                          long stepNanos, long loadNanos, long busyNanos, int queueDepth, int occupiedSlots) {

    /** Mean occupied slots per step, 0 before the first step. */
    public double meanBatchSize() {
        return steps == 0 ? 0 : (double) slotSteps / steps;
    }

    /** Engine time outside the model's step (loads included), as a fraction of the time inside it. */
    public double overheadRatio() {
        return stepNanos == 0 ? 0 : (double) (busyNanos - stepNanos) / stepNanos;
    }
}
