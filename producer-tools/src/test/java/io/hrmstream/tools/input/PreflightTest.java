package io.hrmstream.tools.input;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreflightTest {

    private static final String PUZZLE =
            "4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......";

    private static SudokuLinesSource lines(String text) {
        return new SudokuLinesSource(InputFile.ofBytes("p.txt", text.getBytes(StandardCharsets.UTF_8)), 0);
    }

    @Test
    void countsUpToTheLimit() throws Exception {
        SudokuLinesSource source = lines((PUZZLE + "\n").repeat(5));
        assertEquals(5, Preflight.count(source, -1, true));
        assertEquals(3, Preflight.count(source, 3, true));
        assertEquals(3, Preflight.load(source, 3, true).size());
    }

    @Test
    void aPuzzleItsTaskRejectsIsNamedWithTheTasksReasonUnlessChecksAreOff() throws Exception {
        SudokuLinesSource source = lines(PUZZLE + "\n" + "99" + PUZZLE.substring(2) + "\n");
        PuzzleInputException e = assertThrows(PuzzleInputException.class, () -> Preflight.count(source, -1, true));
        assertEquals("p.txt:2: given 9 appears twice in row 0", e.getMessage());
        assertEquals(2, Preflight.count(source, -1, false));
    }

    @Test
    void anUnknownTaskListsTheKnownOnes() {
        Puzzle puzzle = new Puzzle("chess", new CellGrid(1, 1, new byte[] {0}), null, 0, "x:1");
        PuzzleInputException e = assertThrows(PuzzleInputException.class, () -> Preflight.check(puzzle));
        assertTrue(e.getMessage().startsWith("x:1: unknown task 'chess'; known tasks: [arc, maze, sudoku]"),
                e.getMessage());
    }
}
