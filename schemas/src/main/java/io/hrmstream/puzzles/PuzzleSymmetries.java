package io.hrmstream.puzzles;

import io.hrmstream.schemas.Grid;

/**
 * The answer-preserving symmetries of a task, from which guess scaling draws the augmented views of a puzzle whose
 * first answer failed the verifier. Views are reproducible: the same puzzle, seed and view index always give the
 * same symmetry, so a replayed request runs the same views.
 */
public interface PuzzleSymmetries {

    /**
     * The symmetry of view {@code view} (1 = the first augmented view; view 0 is the puzzle as sent).
     *
     * @param input the puzzle as sent (its shape decides which symmetries apply)
     * @param seed  the request's seed (derived from its id)
     */
    GridSymmetry view(Grid input, long seed, int view);

    /**
     * How many different augmented views {@code input} has: views numbered above it repeat earlier ones, and a
     * deterministic model answers a repeated view as it did before, so racing it buys nothing. Unbounded unless a
     * task's symmetries are few (a maze has 7 besides the identity).
     */
    default int distinctViews(Grid input) {
        return Integer.MAX_VALUE;
    }
}
