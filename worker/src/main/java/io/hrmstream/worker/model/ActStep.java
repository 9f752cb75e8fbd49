package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import io.hrmstream.worker.djl.ArrayGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * One ACT step's carry and outputs ({@code outputs["logits"], ["q_halt_logits"], ["q_continue_logits"]}).
 *
 * @param carry     the carry for the next step
 * @param logits    [B, S, V]
 * @param qHalt     [B], float32
 * @param qContinue [B], float32
 */
public record ActStep(ActCarry carry, NDArray logits, NDArray qHalt, NDArray qContinue) implements ArrayGroup {

    @Override
    public List<NDArray> arrays() {
        List<NDArray> all = new ArrayList<>(carry.arrays());
        all.addAll(List.of(logits, qHalt, qContinue));
        return all;
    }
}
