package io.hrmstream.tools.input;

/** A puzzle in the input cannot be read or would be rejected; the message says where ({@code file:line: ...}). */
public final class PuzzleInputException extends RuntimeException {

    public PuzzleInputException(String origin, String problem) {
        super(origin + ": " + problem);
    }

    /** @param message already names where */
    public PuzzleInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
