package io.hrmstream.worker.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands for ops that autograd differentiates. DJL's {@code NDArray.mul(Number)} (and div, pow, minimum,
 * maximum) wraps the number in a tensor over a Java direct buffer ({@code torch::from_blob}) and closes it right after
 * the op; autograd saves that tensor for the backward pass, and once a garbage collection frees the buffer the backward
 * reads freed memory: garbage or NaN gradients (LossGradientTest poisons freed memory to show it). A tensor from
 * {@code torch::full} is owned and reference-counted by libtorch, so autograd's saved copy stays valid.
 * Ops that run without gradient (inference, the optimizer) may use plain numbers.
 */
public final class Scalars {

    private Scalars() {
    }

    /** A 0-dimensional tensor holding {@code value}, with the dtype, device and manager of {@code like}. */
    public static NDArray of(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType());
    }
}
