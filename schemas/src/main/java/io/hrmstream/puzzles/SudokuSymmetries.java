package io.hrmstream.puzzles;

import io.hrmstream.puzzles.data.SudokuAugmentation;
import io.hrmstream.schemas.Grid;

import java.util.SplittableRandom;

/**
 * Sudoku's validity-preserving symmetries, drawn as the official builder draws its augmentations
 * ({@link SudokuAugmentation}: digit relabelling, transpose, band and stack permutations, row and column permutations
 * within them). View {@code k} of a request is drawn from a generator seeded by (request seed, k).
 */
final class SudokuSymmetries implements PuzzleSymmetries {

    @Override
    public GridSymmetry view(Grid input, long seed, int view) {
        if (view < 1) throw new IllegalArgumentException("augmented views are numbered from 1, got " + view);
        SudokuAugmentation.Transform transform =
                SudokuAugmentation.Transform.random(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + view));
        return new GridSymmetry() {
            @Override
            public Grid apply(Grid grid) {
                return Grids.of(SudokuTask.SIZE, SudokuTask.SIZE, transform.apply(Grids.cells(grid)));
            }

            @Override
            public Grid invert(Grid grid) {
                return Grids.of(SudokuTask.SIZE, SudokuTask.SIZE, transform.invert(Grids.cells(grid)));
            }

            @Override
            public String toString() {
                return "sudoku view " + view;
            }
        };
    }
}
