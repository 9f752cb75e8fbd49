package io.hrmstream.worker.engine;

/**
 * A puzzle handed to the engine, already turned into model tokens by its task codec.
 *
 * @param requestId         the request id, for tracing
 * @param tokens            input tokens, length {@link ModelDescriptor#seqLen()}
 * @param puzzleIdentifier  the model's puzzle-embedding row, in [0, numPuzzleIdentifiers)
 * @param maxSteps          the request's cap on ACT steps (>= 1); the engine runs at most
 *                          min(maxSteps, haltMaxSteps)
 * @param traced            whether the engine records every ACT step of this puzzle ({@link SolveResult#trace()}),
 *                          as the console's inspector asks; untraced puzzles cost nothing extra
 */
public record SolveRequest(String requestId, int[] tokens, int puzzleIdentifier, int maxSteps, boolean traced) {
    public SolveRequest {
        if (maxSteps < 1) throw new IllegalArgumentException("maxSteps must be >= 1, was " + maxSteps);
    }

    /** An untraced puzzle: the stream's requests. */
    public SolveRequest(String requestId, int[] tokens, int puzzleIdentifier, int maxSteps) {
        this(requestId, tokens, puzzleIdentifier, maxSteps, false);
    }

    /** This puzzle with its every ACT step recorded. */
    public SolveRequest withTrace() {
        return new SolveRequest(requestId, tokens, puzzleIdentifier, maxSteps, true);
    }
}
