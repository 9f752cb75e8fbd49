package io.hrmstream.tools.input;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SudokuLinesSourceTest {

    static final String DOTS =
            "4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......";
    static final String ZEROS = DOTS.replace('.', '0');

    private static List<Puzzle> readAll(String text) throws IOException {
        SudokuLinesSource source = new SudokuLinesSource(
                InputFile.ofBytes("puzzles.txt", text.getBytes(StandardCharsets.UTF_8)), 0);
        List<Puzzle> puzzles = new ArrayList<>();
        try (PuzzleStream stream = source.open()) {
            stream.forEachRemaining(puzzles::add);
        }
        return puzzles;
    }

    @Test
    void dotsAndZerosBothMeanBlankAndDigitsBecomeCellValues() throws IOException {
        List<Puzzle> puzzles = readAll(DOTS + "\n" + ZEROS + "\n");
        assertEquals(2, puzzles.size());
        Puzzle first = puzzles.get(0);
        assertEquals("sudoku", first.task());
        assertEquals(9, first.question().rows());
        assertEquals(9, first.question().cols());
        byte[] cells = first.question().cells();
        assertEquals(4, cells[0]);
        assertEquals(0, cells[1]);
        assertEquals(8, cells[6]);
        assertArrayEquals(cells, puzzles.get(1).question().cells());
        assertNull(first.answer(), "a sudoku line has no answer");
        assertEquals("puzzles.txt:1", first.origin());
        assertEquals("puzzles.txt:2", puzzles.get(1).origin());
    }

    @Test
    void blankLinesAndCommentsAreSkippedButCountInLineNumbers() throws IOException {
        List<Puzzle> puzzles = readAll("# from a collection\n\n" + DOTS + "\r\n");
        assertEquals(1, puzzles.size());
        assertEquals("puzzles.txt:3", puzzles.get(0).origin());
    }

    @Test
    void aShortLineNamesItsLineAndLength() {
        PuzzleInputException e = assertThrows(PuzzleInputException.class,
                () -> readAll(DOTS + "\n" + DOTS.substring(1) + "\n"));
        assertEquals("puzzles.txt:2: a sudoku has 81 characters, got 80", e.getMessage());
    }

    @Test
    void aStrayCharacterNamesItsLineAndColumn() {
        String bad = DOTS.substring(0, 10) + "x" + DOTS.substring(11);
        PuzzleInputException e = assertThrows(PuzzleInputException.class, () -> readAll(bad));
        assertEquals("puzzles.txt:1: character 'x' at 10 is not '.' or a digit", e.getMessage());
    }

    @Test
    void theSourceCanBeReadAgainFromTheStart() throws IOException {
        SudokuLinesSource source = new SudokuLinesSource(
                InputFile.ofBytes("p", (DOTS + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        for (int pass = 0; pass < 2; pass++) {
            try (PuzzleStream stream = source.open()) {
                assertTrue(stream.hasNext());
                stream.next();
            }
        }
    }
}
