package io.hrmstream.puzzles;

import io.hrmstream.puzzles.data.MazeGenerator;
import io.hrmstream.puzzles.data.MazePuzzle;
import io.hrmstream.puzzles.data.SudokuGenerator;
import io.hrmstream.puzzles.data.SudokuPuzzle;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.SolveStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guess scaling's views: every symmetry is undone exactly by its inverse, and maps solutions to solutions. */
class PuzzleSymmetriesTest {

    private static final SudokuTask SUDOKU = new SudokuTask();
    private static final MazeTask MAZE = new MazeTask();

    @Test
    void everySudokuViewIsUndoneExactlyByItsInverseOnRandomBoards() {
        Random rng = new Random(1);
        PuzzleSymmetries symmetries = SUDOKU.symmetries().orElseThrow();
        for (int trial = 0; trial < 500; trial++) {
            byte[] cells = new byte[81];
            for (int i = 0; i < 81; i++) cells[i] = (byte) rng.nextInt(10);
            Grid board = Grids.of(9, 9, cells);
            GridSymmetry view = symmetries.view(board, rng.nextLong(), 1 + rng.nextInt(64));
            assertArrayEquals(cells, Grids.cells(view.invert(view.apply(board))), view.toString());
            assertArrayEquals(cells, Grids.cells(view.apply(view.invert(board))), view.toString());
        }
    }

    @Test
    void aSudokuViewOfAPuzzleIsSolvedByTheViewOfItsSolutionAndMapsBack() {
        SudokuGenerator generator = new SudokuGenerator(30, 60, 7);
        PuzzleSymmetries symmetries = SUDOKU.symmetries().orElseThrow();
        for (int trial = 0; trial < 50; trial++) {
            SudokuPuzzle p = generator.next();
            Grid puzzle = Grids.of(9, 9, p.puzzle()), solution = Grids.of(9, 9, p.solution());
            GridSymmetry view = symmetries.view(puzzle, trial, 1 + trial % 16);
            Grid viewPuzzle = view.apply(puzzle);
            assertTrue(SUDOKU.checkInput(viewPuzzle).isEmpty());
            assertEquals(SolveStatus.SOLVED, SUDOKU.verify(viewPuzzle, view.apply(solution)));
            assertEquals(SolveStatus.SOLVED, SUDOKU.verify(puzzle, view.invert(view.apply(solution))));
        }
    }

    @Test
    void viewsAreReproducibleFromTheSeedAndDifferAcrossViewIndices() {
        Grid board = Grids.of(9, 9, new SudokuGenerator(40, 40, 3).next().puzzle());
        PuzzleSymmetries symmetries = SUDOKU.symmetries().orElseThrow();
        for (int view = 1; view <= 8; view++) {
            assertArrayEquals(Grids.cells(symmetries.view(board, 42, view).apply(board)),
                    Grids.cells(symmetries.view(board, 42, view).apply(board)), "same seed, same view");
        }
        assertFalse(java.util.Arrays.equals(Grids.cells(symmetries.view(board, 42, 1).apply(board)),
                Grids.cells(symmetries.view(board, 42, 2).apply(board))), "views 1 and 2 differ");
    }

    @Test
    void everyMazeViewIsUndoneExactlyByItsInverseOnSquareAndOblongGrids() {
        Random rng = new Random(2);
        PuzzleSymmetries symmetries = MAZE.symmetries().orElseThrow();
        for (int trial = 0; trial < 300; trial++) {
            int rows = 2 + rng.nextInt(12), cols = trial % 2 == 0 ? rows : 2 + rng.nextInt(12);
            byte[] cells = new byte[rows * cols];
            for (int i = 0; i < cells.length; i++) cells[i] = (byte) MazeTask.CHARSET.charAt(rng.nextInt(5));
            Grid grid = Grids.of(rows, cols, cells);
            for (int view = 1; view <= 8; view++) {
                GridSymmetry symmetry = symmetries.view(grid, 0, view);
                Grid image = symmetry.apply(grid);
                assertEquals(rows, image.getRows(), "a view keeps the grid's shape: " + symmetry);
                assertArrayEquals(cells, Grids.cells(symmetry.invert(image)), symmetry.toString());
            }
        }
    }

    @Test
    void aMazeViewMovesStartGoalAndPathWithTheWallsSoTheMappedPathStillVerifies() {
        MazeGenerator generator = new MazeGenerator(9, 0.1, 4, 5);
        PuzzleSymmetries symmetries = MAZE.symmetries().orElseThrow();
        for (int trial = 0; trial < 20; trial++) {
            MazePuzzle p = generator.next();
            for (int view = 1; view <= 7; view++) {
                GridSymmetry symmetry = symmetries.view(p.maze(), 0, view);
                assertEquals(SolveStatus.SOLVED, MAZE.verify(symmetry.apply(p.maze()), symmetry.apply(p.solution())),
                        symmetry.toString());
                assertEquals(SolveStatus.SOLVED, MAZE.verify(p.maze(), symmetry.invert(symmetry.apply(p.solution()))));
            }
        }
    }

    @Test
    void tasksWithoutAVerifierHaveNoViews() {
        assertTrue(new ArcTask().symmetries().isEmpty());
    }

    @Test
    void aSquareMazeHasSevenDifferentViewsAnOblongOneThreeAndLaterViewsRepeatThem() {
        PuzzleSymmetries symmetries = MAZE.symmetries().orElseThrow();
        Grid square = new MazeGenerator(7, 0.1, 4, 11).next().maze();
        Grid oblong = Grids.of(2, 3, "S #  G".getBytes(StandardCharsets.US_ASCII));
        assertEquals(7, symmetries.distinctViews(square));
        assertEquals(3, symmetries.distinctViews(oblong));
        for (Grid grid : List.of(square, oblong)) {
            int distinct = symmetries.distinctViews(grid);
            Set<String> images = new HashSet<>();
            images.add(Arrays.toString(Grids.cells(grid)));
            for (int view = 1; view <= distinct; view++) {
                images.add(Arrays.toString(Grids.cells(symmetries.view(grid, 0, view).apply(grid))));
            }
            assertEquals(distinct + 1, images.size(), "the puzzle and its views all differ");
            assertArrayEquals(Grids.cells(symmetries.view(grid, 0, 1).apply(grid)),
                    Grids.cells(symmetries.view(grid, 0, distinct + 1).apply(grid)), "the next view repeats the first");
        }
    }

    @Test
    void aSudokuHasMoreViewsThanAnyRequestCanAskFor() {
        Grid board = Grids.of(9, 9, new SudokuGenerator(40, 50, 3).next().puzzle());
        assertEquals(Integer.MAX_VALUE, SUDOKU.symmetries().orElseThrow().distinctViews(board));
    }
}
