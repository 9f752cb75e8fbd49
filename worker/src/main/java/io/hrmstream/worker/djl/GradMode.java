package io.hrmstream.worker.djl;

import ai.djl.pytorch.jni.JniUtils;

import java.util.function.Supplier;

/**
 * PyTorch's {@code torch.no_grad()} for a block of code. libtorch's grad mode is per thread and starts on; DJL turns
 * it off on the thread that starts the engine, a gradient collector turns it on for training. Where it is off this
 * does nothing; where it is on (training, or a thread DJL did not start on, such as the serving engine's), the
 * wrapped code builds no autograd graph, as the official code's no-grad updates.
 */
public final class GradMode {

    private GradMode() {
    }

    public static <T> T disabled(Supplier<T> body) {
        if (!JniUtils.isGradMode()) {
            return body.get();
        }
        JniUtils.setGradMode(false);
        try {
            return body.get();
        } finally {
            JniUtils.setGradMode(true);
        }
    }
}
