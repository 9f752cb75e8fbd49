package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import io.hrmstream.worker.djl.ArrayGroup;

import java.util.List;

/**
 * What one inner forward pass returns ({@code new_carry, output, (q_halt_logits, q_continue_logits)}).
 *
 * @param carry     the new state, detached from the autograd graph
 * @param logits    token logits without the puzzle prefix [B, S, V], in the compute dtype
 * @param qHalt     q_head output 0 at position 0 [B], float32
 * @param qContinue q_head output 1 at position 0 [B], float32
 */
public record InnerOutput(InnerCarry carry, NDArray logits, NDArray qHalt, NDArray qContinue) implements ArrayGroup {

    @Override
    public List<NDArray> arrays() {
        return List.of(carry.zH(), carry.zL(), logits, qHalt, qContinue);
    }
}
