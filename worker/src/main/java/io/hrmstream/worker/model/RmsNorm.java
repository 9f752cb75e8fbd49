package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.hrmstream.worker.djl.Scalars;

/**
 * layers.py {@code rms_norm}: {@code x / sqrt(mean(x²) + eps)} over the last axis, without a learnable scale,
 * computed in float32 whatever the compute dtype (as the official code does).
 *
 * @param eps {@code rms_norm_eps}
 */
public record RmsNorm(float eps) {

    /** [..., n] -> [..., n]. */
    public NDArray forward(NDArray x) {
        DataType inputType = x.getDataType();
        NDArray x32 = x.toType(DataType.FLOAT32, false);                      // [..., n]
        NDArray variance = x32.square().mean(new int[] {-1}, true);           // [..., 1]
        NDArray normed = x32.div(variance.add(Scalars.of(x32, eps)).sqrt());  // [..., n]
        return normed.toType(inputType, false);
    }
}
