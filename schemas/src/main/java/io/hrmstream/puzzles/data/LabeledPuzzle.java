package io.hrmstream.puzzles.data;

import io.hrmstream.schemas.Grid;

/**
 * One row of an official HRM dataset CSV ({@code source,q,a,rating}) as grids.
 *
 * @param source   where the puzzle came from (free text)
 * @param question the puzzle
 * @param answer   its solution
 * @param rating   the difficulty column (for sudoku: the solver's backtracks)
 */
public record LabeledPuzzle(String source, Grid question, Grid answer, long rating) {
}
