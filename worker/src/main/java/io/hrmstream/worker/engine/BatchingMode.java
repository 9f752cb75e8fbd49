package io.hrmstream.worker.engine;

/**
 * How the engine schedules puzzles onto its slots. {@link #ACT} is the product; the others exist to measure
 * what per-puzzle halting and slot refill are worth.
 */
public enum BatchingMode {
    /** Continuous batching: a puzzle leaves when its q head says halt, and its slot is refilled before the next step. */
    ACT(true, true),
    /** Halting honoured, no refill: a batch runs until its slowest member halts, then the next batch forms. */
    STATIC(true, false),
    /** The official inference: no early halting, every puzzle runs to its step cap; batches form as in STATIC. */
    FIXED(false, false);

    private final boolean honoursQHalt;
    private final boolean refillsWhileRunning;

    BatchingMode(boolean honoursQHalt, boolean refillsWhileRunning) {
        this.honoursQHalt = honoursQHalt;
        this.refillsWhileRunning = refillsWhileRunning;
    }

    /** Whether the model's q logits may stop a puzzle before its step cap. */
    public boolean honoursQHalt() {
        return honoursQHalt;
    }

    /** Whether free slots take new puzzles while other slots are still running. */
    public boolean refillsWhileRunning() {
        return refillsWhileRunning;
    }
}
