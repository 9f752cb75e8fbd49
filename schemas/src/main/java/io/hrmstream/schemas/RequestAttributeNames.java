package io.hrmstream.schemas;

/**
 * Keys of {@code PuzzleRequest.attributes} that the worker reads (part of the contract: every other key is only
 * passed through to the solution).
 */
public final class RequestAttributeNames {

    /**
     * ARC: the task id (e.g. {@code 00576224}) whose test input the request's grid is. A worker started with
     * {@code --puzzle-ids} runs the augmented copies of that task its identifiers name and answers by the official
     * vote; the request's own {@code puzzleId} is then not used.
     */
    public static final String ARC_TASK = "arc.task";

    private RequestAttributeNames() {
    }
}
