package io.hrmstream.worker.engine;

/** Completes the futures of puzzles still pending when an engine closes. */
public class EngineClosedException extends RuntimeException {
    public EngineClosedException(String message) {
        super(message);
    }
}
