package io.hrmstream.puzzles;

import io.hrmstream.schemas.Grid;

/**
 * One symmetry of a task's grids that maps a valid puzzle to a valid puzzle and its solution to the solution of
 * the image: the model may answer the transformed puzzle (a "view") and the answer is mapped back with
 * {@link #invert}.
 */
public interface GridSymmetry {

    /** The puzzle (or an answer) as this view shows it. */
    Grid apply(Grid grid);

    /** Undoes {@link #apply}: {@code invert(apply(g))} equals {@code g} for every grid of the task. */
    Grid invert(Grid grid);
}
