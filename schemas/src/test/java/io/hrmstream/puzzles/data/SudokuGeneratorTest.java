package io.hrmstream.puzzles.data;

import io.hrmstream.puzzles.SudokuTask;
import io.hrmstream.schemas.SolveStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SudokuGeneratorTest {

    private final SudokuSolver solver = new SudokuSolver();
    private final SudokuTask task = new SudokuTask();

    private static int countGivens(byte[] puzzle) {
        int givens = 0;
        for (byte cell : puzzle) if (cell != 0) givens++;
        return givens;
    }

    @Test
    void everyPuzzleHasAUniqueSolutionItsGivensAndItsRating() {
        SudokuGenerator generator = new SudokuGenerator(24, 34, 7);
        for (int i = 0; i < 8; i++) {
            SudokuPuzzle puzzle = generator.next();

            assertEquals(1, solver.countSolutions(puzzle.puzzle(), 2), "unique");
            assertArrayEquals(puzzle.solution(), solver.solve(puzzle.puzzle(), 1).solution());
            assertEquals(SolveStatus.SOLVED, task.verify(puzzle.puzzleGrid(), puzzle.solutionGrid()));
            assertEquals(countGivens(puzzle.puzzle()), puzzle.givens());
            assertTrue(puzzle.givens() >= 24 && puzzle.givens() <= 34, "givens " + puzzle.givens());
            assertEquals(solver.solve(puzzle.puzzle(), 1).backtracks(), puzzle.rating());
        }
    }

    @Test
    void targetGivensAreDrawnFromTheWholeRange() {
        SudokuGenerator generator = new SudokuGenerator(40, 43, 11);
        Set<Integer> seen = new TreeSet<>();
        for (int i = 0; i < 40; i++) seen.add(generator.next().givens());

        assertEquals(Set.of(40, 41, 42, 43), seen);
    }

    @Test
    void theSameSeedGivesTheSamePuzzles() {
        List<byte[]> first = new ArrayList<>(), second = new ArrayList<>();
        SudokuGenerator a = new SudokuGenerator(30, 40, 42), b = new SudokuGenerator(30, 40, 42);
        for (int i = 0; i < 3; i++) {
            first.add(a.next().puzzle());
            second.add(b.next().puzzle());
        }
        for (int i = 0; i < 3; i++) assertArrayEquals(first.get(i), second.get(i));
        assertFalse(java.util.Arrays.equals(first.get(0), new SudokuGenerator(30, 40, 43).next().puzzle()));
    }

    @Test
    void anUnreachableTargetYieldsTheSparsestUniquePuzzleFound() {
        SudokuPuzzle puzzle = new SudokuGenerator(17, 17, 3).next();

        assertTrue(puzzle.givens() >= 17);
        assertEquals(1, solver.countSolutions(puzzle.puzzle(), 2));
    }

    @Test
    void rejectsARangeOutsideSeventeenToEightyOne() {
        assertThrows(IllegalArgumentException.class, () -> new SudokuGenerator(16, 30, 1));
        assertThrows(IllegalArgumentException.class, () -> new SudokuGenerator(40, 30, 1));
    }
}
