package io.hrmstream.worker.engine;

/**
 * A model holding a resident batch of {@link #capacity()} slots, each carrying one puzzle's recurrent
 * state, advanced one ACT step at a time. The engine's inference thread owns it; not thread-safe.
 * The model package implements it on DJL; tests use doubles.
 */
public interface SlotBatch extends AutoCloseable {

    int capacity();

    ModelDescriptor descriptor();

    /** Puts a new puzzle into a slot: its carry restarts from H_init/L_init. */
    void load(int slot, int[] tokens, int puzzleIdentifier);

    /**
     * Runs one ACT step on the given slots (distinct, ascending); other slots keep their state.
     * Arrays in the result are aligned with {@code slots}.
     */
    StepOutput step(int[] slots);

    @Override
    void close();

    /**
     * @param qHalt       q_halt logit per stepped slot
     * @param qContinue   q_continue logit per stepped slot (NaN for models without one)
     * @param predictions argmax token per position, per stepped slot
     */
    record StepOutput(float[] qHalt, float[] qContinue, int[][] predictions) {
    }
}
