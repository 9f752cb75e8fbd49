package io.hrmstream.worker.stream;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;

/**
 * What {@link SolveProcessor} reports as it goes, e.g. to Micrometer ({@code io.hrmstream.worker.ops.WorkerMetrics}).
 * Called on the stream thread: implementations must be quick and must not throw.
 */
public interface SolveObserver {

    SolveObserver NONE = new SolveObserver() {
    };

    /** Reports to {@code first}, then to {@code second} (e.g. the meters, then the console's recent solutions). */
    static SolveObserver both(final SolveObserver first, final SolveObserver second) {
        return new SolveObserver() {
            @Override
            public void onRequest() {
                first.onRequest();
                second.onRequest();
            }

            @Override
            public void onDeadLetter() {
                first.onDeadLetter();
                second.onDeadLetter();
            }

            @Override
            public void onEscalation(final int views) {
                first.onEscalation(views);
                second.onEscalation(views);
            }

            @Override
            public void onViewWon(final int viewIndex) {
                first.onViewWon(viewIndex);
                second.onViewWon(viewIndex);
            }

            @Override
            public void onRegistryUnavailable(final boolean waiting) {
                first.onRegistryUnavailable(waiting);
                second.onRegistryUnavailable(waiting);
            }

            @Override
            public void onNonFiniteOutput() {
                first.onNonFiniteOutput();
                second.onNonFiniteOutput();
            }

            @Override
            public void onSolution(final PuzzleSolution solution) {
                first.onSolution(solution);
                second.onSolution(solution);
            }

            @Override
            public void onSolution(final PuzzleRequest request, final PuzzleSolution solution) {
                first.onSolution(request, solution);
                second.onSolution(request, solution);
            }
        };
    }

    /** A record of {@code hrm.requests} reached the processor (decodable or not). */
    default void onRequest() {
    }

    /** An undecodable record went to the dead-letter topic. */
    default void onDeadLetter() {
    }

    /** A request's first answer failed its verifier: {@code views} augmented views were queued (guess scaling). */
    default void onEscalation(int views) {
    }

    /** A race was won: the answer of view {@code viewIndex} (1 = the first augmented view) verified. */
    default void onViewWon(int viewIndex) {
    }

    /**
     * The stream thread started ({@code true}) or stopped ({@code false}) waiting for an unreachable schema
     * registry; calls come in pairs, one pair per wait.
     */
    default void onRegistryUnavailable(boolean waiting) {
    }

    /** A puzzle (or one of its views) ended because the model's output was not finite. */
    default void onNonFiniteOutput() {
    }

    /** A solution (any status) was forwarded to {@code hrm.solutions}. */
    default void onSolution(PuzzleSolution solution) {
    }

    /**
     * A solution was forwarded, with the request it answers (e.g. for the console, which shows the givens); what
     * {@link SolveProcessor} calls. By default: {@link #onSolution(PuzzleSolution)}.
     */
    default void onSolution(PuzzleRequest request, PuzzleSolution solution) {
        onSolution(solution);
    }
}
