package io.hrmstream.schemas;

/**
 * The wire contract's topic names: requests in, solutions out, undecodable requests aside. The one place they are
 * spelled; the worker, the producer tools and the development broker all read them from here.
 */
public final class Topics {

    /** {@code PuzzleRequest} values, key = request id. */
    public static final String REQUESTS = "hrm.requests";
    /** {@code PuzzleSolution} values, key = request id. */
    public static final String SOLUTIONS = "hrm.solutions";
    /** Requests that could not be decoded, as they came, with {@code hrm.error} and source headers. */
    public static final String REQUESTS_DLQ = "hrm.requests.dlq";

    private Topics() {
    }
}
