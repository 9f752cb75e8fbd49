package io.hrmstream.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.hrmstream.worker.checkpoint.HostTensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with decoupled weight decay, as {@code torch.optim.AdamW}. Written by hand rather than DJL's
 * {@code Optimizer.adam()} because a resumable run needs the moment estimates, and DJL keeps them private
 * (and its weight decay is the L2 kind, added to the gradient).
 * <p>
 * Memory: each parameter's gradient is fetched once, closed, and zeroed in place ({@code JniUtils.zeroGrad});
 * DJL's {@code GradientCollector.zeroGradients()} and unclosed {@code getGradient()} leak arrays (djl-probe §5).
 * Call {@link #step} after the gradient collector is closed: in-place updates of leaves are refused in grad mode.
 */
public final class AdamW implements AutoCloseable {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager stateManager;
    private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();   // exp_avg, per parameter
    private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();  // exp_avg_sq, per parameter
    private int stepCount;

    public AdamW(NDManager parent, double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.stateManager = parent.newSubManager();
    }

    /** Optimizer steps taken so far (torch's {@code state["step"]}). */
    public int stepCount() {
        return stepCount;
    }

    /**
     * One update of every parameter from its accumulated gradient, then the gradient is zeroed. When any gradient
     * holds a NaN or an infinity nothing is updated (one such value would turn the moments, and then every weight,
     * into NaN) and the names of the offending parameters are returned; else an empty list.
     */
    public java.util.List<String> step(Map<String, NDArray> parameters, double lr) {
        java.util.List<String> nonFinite = nonFiniteGradients(parameters);
        if (!nonFinite.isEmpty()) {
            discardGradients(parameters);
            return nonFinite;
        }
        stepCount++;
        double biasCorrection1 = 1 - Math.pow(beta1, stepCount);
        double biasCorrection2 = 1 - Math.pow(beta2, stepCount);
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray p = e.getValue();
            NDArray m = firstMoment.computeIfAbsent(e.getKey(), k -> persistent(stateManager.zeros(p.getShape(), p.getDataType())));
            NDArray v = secondMoment.computeIfAbsent(e.getKey(), k -> persistent(stateManager.zeros(p.getShape(), p.getDataType())));
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray g = p.getGradient();
                m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));                 // exp_avg
                v.muli((float) beta2).addi(g.square().mul((float) (1 - beta2)));        // exp_avg_sq
                p.muli((float) (1 - lr * weightDecay));                                 // decoupled decay
                NDArray denom = v.div((float) biasCorrection2).sqrt().add((float) eps);
                p.subi(m.div(denom).mul((float) (lr / biasCorrection1)));
                g.close();
                JniUtils.zeroGrad((PtNDArray) p);
            }
        }
        return java.util.List.of();
    }

    /** Zeroes every parameter's gradient without an update: the step was skipped. */
    public void discardGradients(Map<String, NDArray> parameters) {
        parameters.values().forEach(p -> JniUtils.zeroGrad((PtNDArray) p));
    }

    private static java.util.List<String> nonFiniteGradients(Map<String, NDArray> parameters) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray g = e.getValue().getGradient();
                float sumOfSquares = g.square().sum().getFloat();
                g.close();
                if (!Float.isFinite(sumOfSquares)) names.add(e.getKey());
            }
        }
        return names;
    }

    /** The moments under {@code exp_avg.<key>} / {@code exp_avg_sq.<key>}, for a checkpoint. */
    public Map<String, HostTensor> state() {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        firstMoment.forEach((k, a) -> out.put("exp_avg." + k, HostTensor.of(a)));
        secondMoment.forEach((k, a) -> out.put("exp_avg_sq." + k, HostTensor.of(a)));
        return out;
    }

    /** Restores {@link #state()} and the step count of a checkpoint. */
    public void load(Map<String, HostTensor> state, int steps) {
        state.forEach((key, tensor) -> {
            NDArray array = persistent(tensor.toNDArray(stateManager, ai.djl.ndarray.types.DataType.FLOAT32));
            if (key.startsWith("exp_avg_sq.")) {
                put(secondMoment, key.substring("exp_avg_sq.".length()), array);
            } else if (key.startsWith("exp_avg.")) {
                put(firstMoment, key.substring("exp_avg.".length()), array);
            } else {
                throw new IllegalArgumentException("optimizer state: unexpected tensor '" + key + "'");
            }
        });
        this.stepCount = steps;
    }

    /** Optimizer state outlives any caller's NDScope; the state manager frees it. */
    private static NDArray persistent(NDArray array) {
        NDScope.unregister(array);
        return array;
    }

    private static void put(Map<String, NDArray> map, String key, NDArray array) {
        NDArray old = map.put(key, array);
        if (old != null) old.close();
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
