package io.hrmstream.worker.engine;

/** Completes the futures of puzzles still pending when an engine closes. */
public class EngineClosedException extends RuntimeException {
    public EngineClosedException(String message) {
        super(message);
    }

    /** The engine stopped because of {@code cause} (an error its inference thread could not survive). */
    public EngineClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
