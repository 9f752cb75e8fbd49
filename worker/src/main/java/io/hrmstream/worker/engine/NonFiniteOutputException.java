package io.hrmstream.worker.engine;

/**
 * A step gave a puzzle non-finite q logits (NaN or infinite): its answer would be garbage, so it ends with this
 * error instead; the other slots go on.
 */
public final class NonFiniteOutputException extends RuntimeException {

    public NonFiniteOutputException(String message) {
        super(message);
    }
}
