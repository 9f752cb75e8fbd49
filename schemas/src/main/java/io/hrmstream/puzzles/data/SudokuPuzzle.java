package io.hrmstream.puzzles.data;

import io.hrmstream.puzzles.Grids;
import io.hrmstream.puzzles.SudokuTask;
import io.hrmstream.schemas.Grid;

/**
 * A Sudoku with its unique solution.
 *
 * @param puzzle   81 cells, 0 blank, 1..9 given
 * @param solution 81 cells, 1..9
 * @param givens   the number of given cells
 * @param rating   backtracks the exact solver needed ({@link SudokuSolver}), the official {@code rating}
 */
public record SudokuPuzzle(byte[] puzzle, byte[] solution, int givens, long rating) {

    public Grid puzzleGrid() {
        return Grids.of(SudokuTask.SIZE, SudokuTask.SIZE, puzzle);
    }

    public Grid solutionGrid() {
        return Grids.of(SudokuTask.SIZE, SudokuTask.SIZE, solution);
    }
}
