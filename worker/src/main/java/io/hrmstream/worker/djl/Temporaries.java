package io.hrmstream.worker.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Elementwise ops that write into a temporary the caller has just made and nobody else holds, where that is safe:
 * without autograd (inference, and the no-grad leading updates of training) the result reuses the temporary's
 * memory, sparing an allocation and a pass of fresh pages at batch sizes where one activation is megabytes; with
 * autograd on, a new array, since autograd may keep the temporary for the backward pass (an in-place write would
 * make it fail). Either way the value is the same: {@code a·b} and {@code a+b} do not depend on the operand order.
 */
public final class Temporaries {

    private Temporaries() {
    }

    /** {@code owned · other}, in {@code owned}'s memory when autograd is off. */
    public static NDArray multiplyInto(NDArray owned, NDArray other) {
        return JniUtils.isGradMode() ? owned.mul(other) : owned.muli(other);
    }

    /** {@code owned + other}, in {@code owned}'s memory when autograd is off. */
    public static NDArray addInto(NDArray owned, NDArray other) {
        return JniUtils.isGradMode() ? owned.add(other) : owned.addi(other);
    }
}
