package io.hrmstream.worker.model;

/** How a model's q logits decide that a puzzle halts (before the step cap does). */
public enum HaltRule {
    /** HRM: halt when q_halt > q_continue. */
    Q_HALT_ABOVE_Q_CONTINUE,
    /** TRM: halt when q_halt > 0 (TRM has no continue head at inference). */
    Q_HALT_ABOVE_ZERO;

    public boolean halts(float qHalt, float qContinue) {
        return switch (this) {
            case Q_HALT_ABOVE_Q_CONTINUE -> qHalt > qContinue;
            case Q_HALT_ABOVE_ZERO -> qHalt > 0f;
        };
    }
}
