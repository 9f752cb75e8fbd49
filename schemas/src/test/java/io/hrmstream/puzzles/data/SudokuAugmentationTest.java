package io.hrmstream.puzzles.data;

import io.hrmstream.puzzles.SudokuTask;
import io.hrmstream.schemas.SolveStatus;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SudokuAugmentationTest {

    private static final int[] IDENTITY_DIGITS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    private static final int[] IDENTITY_LINES = {0, 1, 2, 3, 4, 5, 6, 7, 8};

    private static SudokuPuzzle classic() {
        byte[] puzzle = SudokuSolverTest.cells(SudokuSolverTest.EASY);
        return new SudokuPuzzle(puzzle, SudokuSolverTest.cells(SudokuSolverTest.EASY_SOLUTION), 30, 0);
    }

    @Test
    void augmentedPairsStayValidUniqueAndKeepBlanks() {
        SplittableRandom rng = new SplittableRandom(5);
        SudokuTask task = new SudokuTask();
        for (int i = 0; i < 20; i++) {
            SudokuPuzzle augmented = SudokuAugmentation.shuffle(classic(), rng);

            assertEquals(SolveStatus.SOLVED, task.verify(augmented.puzzleGrid(), augmented.solutionGrid()));
            assertEquals(1, new SudokuSolver().countSolutions(augmented.puzzle(), 2));
            int blanks = 0;
            for (byte cell : augmented.puzzle()) if (cell == 0) blanks++;
            assertEquals(81 - 30, blanks);
        }
    }

    @Test
    void cellsMoveAsTheOfficialMappingSays() {
        byte[] board = new byte[81];
        for (int i = 0; i < 81; i++) board[i] = (byte) (i % 10); // any labelling shows where cells go
        int[] rows = {3, 4, 5, 0, 1, 2, 8, 7, 6};
        int[] cols = {2, 1, 0, 3, 4, 5, 6, 7, 8};

        byte[] out = new SudokuAugmentation.Transform(IDENTITY_DIGITS, false, rows, cols).apply(board);

        // new (i, j) holds old (rows[i], cols[j])
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) assertEquals(board[rows[i] * 9 + cols[j]], out[i * 9 + j]);
        }
    }

    @Test
    void transposeComesBeforeThePermutationAndDigitsAreRelabelledLast() {
        byte[] solution = SudokuSolverTest.cells(SudokuSolverTest.EASY_SOLUTION);
        int[] swapOneTwo = {0, 2, 1, 3, 4, 5, 6, 7, 8, 9};

        byte[] out = new SudokuAugmentation.Transform(swapOneTwo, true, IDENTITY_LINES, IDENTITY_LINES).apply(solution);

        for (int r = 0; r < 9; r++) {
            for (int c = 0; c < 9; c++) assertEquals(swapOneTwo[solution[c * 9 + r]], out[r * 9 + c]);
        }
    }

    @Test
    void theRandomTransformKeepsBlankAsZeroAndPermutesBandsAsWholes() {
        SudokuAugmentation.Transform t = SudokuAugmentation.Transform.random(new SplittableRandom(9));

        assertEquals(0, t.digitMap()[0]);
        for (int band = 0; band < 3; band++) {
            int source = t.rowPerm()[band * 3] / 3;
            for (int k = 1; k < 3; k++) assertEquals(source, t.rowPerm()[band * 3 + k] / 3);
        }
        assertFalse(java.util.Arrays.equals(classic().puzzle(), t.apply(classic().puzzle())));
        assertArrayEquals(new byte[81], t.apply(new byte[81]));
    }
}
