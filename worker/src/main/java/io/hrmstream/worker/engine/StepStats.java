package io.hrmstream.worker.engine;

/**
 * What one engine iteration did: admit queued puzzles, run one ACT step over the occupied slots, hand the halted
 * puzzles back. Durations in nanoseconds; {@code iterationNanos - idleNanos - stepNanos - loadNanos} is the
 * engine's own bookkeeping.
 *
 * @param occupiedSlots  slots stepped (the batch size of this step)
 * @param halted         puzzles that halted in this step
 * @param failed         puzzles that failed in this iteration (a throwing load or step)
 * @param queueDepth     puzzles still queued after admission
 * @param stepNanos      time inside {@link SlotBatch#step}
 * @param loadNanos      time inside {@link SlotBatch#load} while admitting puzzles
 * @param idleNanos      time blocked waiting for requests (an empty engine, or the batch filling up)
 * @param iterationNanos the whole iteration, idle time included
 */
public record StepStats(int occupiedSlots, int halted, int failed, int queueDepth,
                        long stepNanos, long loadNanos, long idleNanos, long iterationNanos) {

    /** Time in the engine loop that is neither waiting nor inside the model's step: loads and bookkeeping. */
    public long overheadNanos() {
        return iterationNanos - idleNanos - stepNanos;
    }
}
