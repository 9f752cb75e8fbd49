package io.hrmstream.tools.input;

/** A puzzle in the input cannot be read; the message starts with where ({@code file:line: ...}). */
public final class PuzzleInputException extends RuntimeException {

    public PuzzleInputException(String origin, String problem) {
        super(origin + ": " + problem);
    }

    public PuzzleInputException(String origin, String problem, Throwable cause) {
        super(origin + ": " + problem, cause);
    }
}
