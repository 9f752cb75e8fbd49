package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.hrmstream.worker.djl.Scopes;
import io.hrmstream.worker.engine.ResidentSlotBatch;

/**
 * The official ACT wrapper ({@code HierarchicalReasoningModel_ACTV1.forward},
 * {@code TinyRecursiveReasoningModel_ACTV1.forward}) in eval mode: halted rows take the batch's new data and restart
 * from H_init/L_init, every row steps, and a row halts only when it reaches halt_max_steps ("during evaluation,
 * always use max steps"). This is the reference behaviour the golden data record; per-puzzle halting with slot
 * refill is {@link ResidentSlotBatch}.
 */
public final class ActModel {

    private final ReasoningModel inner;

    public ActModel(ReasoningModel inner) {
        this.inner = inner;
    }

    public ReasoningModel inner() {
        return inner;
    }

    /**
     * {@code initial_carry}: every row halted, so the first step loads the batch and resets the state. The inner
     * carry is zeros (the official one is uninitialised memory; the reset overwrites it either way).
     */
    public ActCarry initialCarry(NDArray inputs, NDArray puzzleIdentifiers) {
        long b = inputs.getShape().get(0);
        ModelConfig config = inner.config();
        return Scopes.keepAll(() -> {
            Shape stateShape = new Shape(b, config.stateLength(), config.hiddenSize());
            DataType dtype = inner.device().dataType();
            var manager = inputs.getManager();
            InnerCarry empty = new InnerCarry(manager.zeros(stateShape, dtype), manager.zeros(stateShape, dtype));
            return new ActCarry(empty,
                    manager.zeros(new Shape(b), DataType.INT32),                    // steps [B]
                    manager.ones(new Shape(b), DataType.BOOLEAN),                   // halted [B]
                    inputs.zerosLike(),                                             // [B, S]
                    puzzleIdentifiers.zerosLike());                                 // [B]
        });
    }

    /** One ACT step on the whole batch: inputs [B, S] and puzzle identifiers [B] (int32) feed the halted rows. */
    public ActStep forward(ActCarry carry, NDArray inputs, NDArray puzzleIdentifiers) {
        int haltMaxSteps = inner.config().haltMaxSteps();
        return Scopes.keepAll(() -> {
            NDArray halted = carry.halted();                                                    // [B]
            InnerCarry state = inner.resetCarry(halted, carry.inner());                        // [B, S+P, hidden]
            NDArray steps = NDArrays.where(halted, carry.steps().zerosLike(), carry.steps());   // [B]
            NDArray haltedRows = halted.reshape(-1, 1).broadcast(inputs.getShape());           // [B, S]
            NDArray currentInputs = NDArrays.where(haltedRows, inputs, carry.inputs());         // [B, S]
            NDArray currentIds = NDArrays.where(halted, puzzleIdentifiers, carry.puzzleIdentifiers()); // [B]

            InnerOutput out = inner.forward(state, currentInputs, currentIds);

            NDArray newSteps = steps.add(1);                                                    // [B]
            NDArray newHalted = newSteps.gte(haltMaxSteps);                                     // [B]: eval halts at the limit only
            return new ActStep(new ActCarry(out.carry(), newSteps, newHalted, currentInputs, currentIds),
                    out.logits(), out.qHalt(), out.qContinue());
        });
    }
}
