package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;

/**
 * The recursion of one ACT step, split where the official code splits it for the one-step gradient: the leading
 * updates run under {@code torch.no_grad()}, the final ones carry gradient.
 */
public sealed interface Reasoner permits HrmReasoner, TrmReasoner {

    /** The updates the official code runs without gradient. */
    InnerCarry leadingUpdates(InnerCarry carry, NDArray input, RotaryEmbedding rope);

    /** The last updates of the step: the only ones a trainer differentiates (the one-step gradient). */
    InnerCarry finalUpdates(InnerCarry carry, NDArray input, RotaryEmbedding rope);
}
