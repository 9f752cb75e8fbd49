package io.hrmstream.worker.djl;

import ai.djl.pytorch.jni.JniUtils;

import java.util.function.Supplier;

/**
 * PyTorch's {@code torch.no_grad()} for a block of code. Outside a gradient collector grad mode is already off and
 * this does nothing; inside one (training), the wrapped updates build no autograd graph, as in the official code.
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
