package io.hrmstream.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.hrmstream.worker.checkpoint.HostTensor;
import io.hrmstream.worker.model.ReasoningModel;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of the trainable weights, as TRM's {@code EMAHelper} (its recipes train with
 * {@code ema=True}, rate 0.999): it starts as a copy of the weights the run starts from, and after each applied
 * optimizer step every average becomes {@code rate * average + (1 - rate) * weight}. The optimizer keeps training the
 * raw weights; the held-out evaluation and the published model folders use {@link #averagedModel}. The puzzle
 * embedding table is a buffer, not a parameter, and is taken as trained (the official helper averages
 * {@code named_parameters()} only). Not to be confused with {@link ExponentialAverage}, the progress bar's
 * smoothing of a scalar.
 */
public final class EmaWeights implements AutoCloseable {

    private final double rate;
    private final NDManager stateManager;
    private final Map<String, NDArray> averages = new LinkedHashMap<>();

    /** Starts the averages at the model's current parameters. */
    public EmaWeights(ReasoningModel model, double rate) {
        if (!(rate > 0 && rate < 1)) throw new IllegalArgumentException("ema rate " + rate + ": expected in (0, 1)");
        this.rate = rate;
        this.stateManager = model.manager().newSubManager();
        model.parameters().forEach((key, p) -> averages.put(key, persistent(p.duplicate())));
    }

    /** Moves every average towards the parameters' current values; call after an optimizer step that applied. */
    public void update(Map<String, NDArray> parameters) {
        for (Map.Entry<String, NDArray> e : averages.entrySet()) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                // no gradient is recorded outside a GradientCollector, so plain numbers are safe here
                e.getValue().muli((float) rate).addi(parameters.get(e.getKey()).mul((float) (1 - rate)));
            }
        }
    }

    /** The averages under the parameters' keys: a checkpoint's copy, or a test's view. */
    public Map<String, HostTensor> state() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        averages.forEach((k, a) -> out.put(k, HostTensor.of(a)));
        return out;
    }

    /** Restores {@link #state()}: the same keys and shapes as the parameters the averages started from. */
    public void load(Map<String, HostTensor> state) {
        if (!state.keySet().equals(averages.keySet())) {
            throw new IllegalArgumentException("ema: checkpoint has " + state.keySet() + ", model " + averages.keySet());
        }
        state.forEach((key, tensor) -> {
            NDArray old = averages.get(key);
            if (!Arrays.equals(tensor.shape(), old.getShape().getShape())) {
                throw new IllegalArgumentException("ema: " + key + " has shape " + Arrays.toString(tensor.shape())
                        + ", the model " + old.getShape());
            }
            averages.put(key, persistent(tensor.toNDArray(stateManager, old.getDataType())));
            old.close();
        });
    }

    /**
     * A model of the averaged weights, with the trained model's config and buffers (H_init, L_init, the puzzle
     * embedding table); the caller closes it. A copy rather than a swap: the trained weights are never overwritten,
     * whatever fails while the copy is used.
     */
    public ReasoningModel averagedModel(ReasoningModel trained) {
        Map<String, HostTensor> stateDict = new LinkedHashMap<>();
        trained.stateDict().forEach((key, a) -> stateDict.put(key, HostTensor.of(averages.getOrDefault(key, a))));
        return ReasoningModel.fromStateDict(trained.config(), stateDict, trained.device());
    }

    /** The averages outlive any caller's NDScope; the state manager frees them. */
    private NDArray persistent(NDArray array) {
        NDScope.unregister(array);
        array.attach(stateManager);
        return array;
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
