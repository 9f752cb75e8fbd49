package io.hrmstream.puzzles.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SudokuSolverTest {

    static final String EASY = "53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79";
    static final String EASY_SOLUTION = "534678912672195348198342567859761423426853791713924856961537284287419635345286179";
    /** "AI Escargot", a famously hard puzzle with a unique solution. */
    static final String HARD = "1....7.9..3..2...8..96..5....53..9...1..8...26....4...3......1..4......7..7...3..";

    static byte[] cells(String text) {
        byte[] cells = new byte[81];
        for (int i = 0; i < 81; i++) cells[i] = (byte) (text.charAt(i) == '.' ? 0 : text.charAt(i) - '0');
        return cells;
    }

    private final SudokuSolver solver = new SudokuSolver();

    @Test
    void solvesAPuzzleWithItsUniqueSolution() {
        SudokuSolver.Result result = solver.solve(cells(EASY), 2);

        assertEquals(1, result.solutions());
        assertArrayEquals(cells(EASY_SOLUTION), result.solution());
    }

    @Test
    void countsSolutionsUpToTheLimit() {
        assertEquals(2, solver.countSolutions(new byte[81], 2));
        assertEquals(50, solver.countSolutions(new byte[81], 50));
        // a "deadly pattern": rows 3, 4 and columns 5, 8 hold 1/3 and 3/1 across two boxes; blanking
        // the four cells leaves exactly two ways to fill them
        byte[] twoWays = cells(EASY_SOLUTION);
        for (int cell : new int[] {3 * 9 + 5, 3 * 9 + 8, 4 * 9 + 5, 4 * 9 + 8}) twoWays[cell] = 0;
        assertEquals(2, solver.countSolutions(twoWays, 10));
        assertEquals(1, solver.countSolutions(cells(HARD), 2));
    }

    @Test
    void clashingGivensHaveNoSolution() {
        byte[] clash = cells(EASY);
        clash[2] = 5; // row 0 already holds a 5
        SudokuSolver.Result result = solver.solve(clash, 2);

        assertEquals(0, result.solutions());
        assertNull(result.solution());
    }

    @Test
    void anUnsolvablePuzzleWithoutClashesIsSearchedToExhaustion() {
        // givens 1..8 in row 0 leave 9 for cell 8, but column 8 already holds a 9
        byte[] stuck = cells("12345678." + "........9" + ".".repeat(63));
        SudokuSolver.Result result = solver.solve(stuck, 1);

        assertEquals(0, result.solutions());
        assertTrue(result.backtracks() >= 1);
    }

    @Test
    void countsMoreBacktracksOnHarderPuzzlesAndTheSameOnEveryRun() {
        long easy = solver.solve(cells(EASY), 1).backtracks();
        long hard = solver.solve(cells(HARD), 1).backtracks();

        assertTrue(hard > easy, "hard " + hard + " vs easy " + easy);
        assertEquals(hard, new SudokuSolver().solve(cells(HARD), 1).backtracks());
    }

    @Test
    void aSolvedGridIsItsOwnOnlySolutionWithoutBacktracking() {
        SudokuSolver.Result result = solver.solve(cells(EASY_SOLUTION), 2);

        assertEquals(1, result.solutions());
        assertEquals(0, result.backtracks());
    }
}
