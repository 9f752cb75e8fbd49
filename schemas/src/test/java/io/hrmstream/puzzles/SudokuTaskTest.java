package io.hrmstream.puzzles;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.SolveStatus;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SudokuTaskTest {

    /** A known puzzle ('.' blank) and its unique solution. */
    static final String PUZZLE = "53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79";
    static final String SOLUTION = "534678912672195348198342567859761423426853791713924856961537284287419635345286179";

    private final SudokuTask task = new SudokuTask();

    static Grid sudoku(String digits) {
        byte[] cells = new byte[digits.length()];
        for (int i = 0; i < cells.length; i++) cells[i] = (byte) (digits.charAt(i) == '.' ? 0 : digits.charAt(i) - '0');
        return new Grid(9, 9, ByteBuffer.wrap(cells));
    }

    @Test
    void hasTheOfficialVocabulary() {
        assertEquals("sudoku", task.name());
        assertEquals(11, task.vocabSize());
    }

    @Test
    void encodesEachCellAsItsValuePlusOne() {
        int[] tokens = task.encode(sudoku(PUZZLE));

        assertEquals(81, tokens.length);
        assertArrayEquals(new int[] {6, 4, 1, 1, 8, 1, 1, 1, 1}, java.util.Arrays.copyOf(tokens, 9));
    }

    @Test
    void decodeInvertsEncodeAndPadKeepsTheInputCell() {
        Grid solution = sudoku(SOLUTION);
        assertEquals(solution, task.decode(task.encode(solution), sudoku(PUZZLE)));

        int[] allPad = new int[81];
        assertEquals(sudoku(PUZZLE), task.decode(allPad, sudoku(PUZZLE)));
        assertThrows(IllegalArgumentException.class, () -> task.decode(new int[80], sudoku(PUZZLE)));
        int[] outOfVocabulary = task.encode(solution);
        outOfVocabulary[3] = 11;
        assertThrows(IllegalArgumentException.class, () -> task.decode(outOfVocabulary, sudoku(PUZZLE)));
    }

    @Test
    void acceptsAWellFormedPuzzle() {
        assertEquals(Optional.empty(), task.checkInput(sudoku(PUZZLE)));
    }

    @Test
    void rejectsBadInputsSayingWhy() {
        assertEquals(Optional.of("cells has 80 bytes, expected rows*cols = 9*9 = 81"),
                task.checkInput(new Grid(9, 9, ByteBuffer.wrap(new byte[80]))));
        assertEquals(Optional.of("sudoku needs a 9x9 grid, got 3x27"),
                task.checkInput(new Grid(3, 27, ByteBuffer.wrap(new byte[81]))));
        assertEquals(Optional.of("grid is 0x9; rows and cols must be >= 1"),
                task.checkInput(new Grid(0, 9, ByteBuffer.wrap(new byte[0]))));
        byte[] ascii = new byte[81];
        ascii[10] = '5';
        assertEquals(Optional.of("cell at row 1, col 1 is '5' (53); sudoku cells are 0 (blank) or 1..9"),
                task.checkInput(new Grid(9, 9, ByteBuffer.wrap(ascii))));
        assertEquals(Optional.of("given 5 appears twice in row 0"),
                task.checkInput(sudoku("55" + PUZZLE.substring(2))));
        assertEquals(Optional.of("given 5 appears twice in box 0"),
                task.checkInput(sudoku("5........" + ".5......." + ".".repeat(63))));
    }

    @Test
    void theVerifierAcceptsTheSolutionKeepingTheGivens() {
        assertEquals(SolveStatus.SOLVED, task.verify(sudoku(PUZZLE), sudoku(SOLUTION)));
    }

    @Test
    void theVerifierRejectsBrokenUnitsChangedGivensBlanksAndWrongShapes() {
        // swapping two digits of a row keeps the row whole but breaks two columns
        String swapped = "354678912" + SOLUTION.substring(9);
        assertEquals(SolveStatus.INVALID, task.verify(sudoku("........." + PUZZLE.substring(9)), sudoku(swapped)));
        // a valid grid that does not keep the givens: relabel 1 <-> 2 everywhere
        String relabelled = SOLUTION.replace('1', 'x').replace('2', '1').replace('x', '2');
        assertEquals(SolveStatus.INVALID, task.verify(sudoku(PUZZLE), sudoku(relabelled)));
        assertEquals(SolveStatus.SOLVED, task.verify(sudoku(".".repeat(81)), sudoku(relabelled)));
        assertEquals(SolveStatus.INVALID, task.verify(sudoku(PUZZLE), sudoku(PUZZLE)));
        assertEquals(SolveStatus.INVALID, task.verify(sudoku(PUZZLE), new Grid(1, 81, sudoku(SOLUTION).getCells())));
    }
}
