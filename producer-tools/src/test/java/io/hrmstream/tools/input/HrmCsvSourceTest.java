package io.hrmstream.tools.input;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HrmCsvSourceTest {

    private static final String Q =
            "..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3..";
    private static final String A =
            "483921657967345821251876493548132976729564138136798245372689514814253769695417382";

    private static List<Puzzle> read(String task, String csv) throws IOException {
        HrmCsvSource source = new HrmCsvSource(InputFile.ofBytes("data.csv", csv.getBytes(StandardCharsets.UTF_8)),
                task, 0);
        List<Puzzle> puzzles = new ArrayList<>();
        try (PuzzleStream stream = source.open()) {
            stream.forEachRemaining(puzzles::add);
        }
        return puzzles;
    }

    @Test
    void eachRowIsAPuzzleWithTheAColumnAsItsKnownAnswer() throws IOException {
        List<Puzzle> puzzles = read("sudoku", "source,q,a,rating\nkaggle," + Q + "," + A + ",0\n");
        assertEquals(1, puzzles.size());
        Puzzle p = puzzles.get(0);
        assertEquals("sudoku", p.task());
        assertEquals(0, p.question().cells()[0]);
        assertEquals(3, p.question().cells()[2]);
        assertEquals(4, p.answer().cells()[0]);
        assertEquals("data.csv#row1", p.origin());
    }

    @Test
    void mazeRowsKeepTheirCharacters() throws IOException {
        List<Puzzle> puzzles = read("maze", "source,q,a,rating\nm,\"#S#   #G#\",\"#S# o #G#\",2\n");
        Puzzle maze = puzzles.get(0);
        assertEquals("maze", maze.task());
        assertEquals(3, maze.question().rows());
        assertEquals('S', maze.question().cells()[1]);
        assertEquals(' ', maze.question().cells()[4]);
        assertEquals('o', maze.answer().cells()[4]);
    }

    @Test
    void aBadRowNamesTheFileAndItsLine() {
        PuzzleInputException e = assertThrows(PuzzleInputException.class,
                () -> read("sudoku", "source,q,a,rating\nok," + Q + "," + A + ",0\nbad," + Q.substring(1) + "," + A
                        + ",0\n"));
        assertTrue(e.getMessage().startsWith("data.csv: line 3, q: a sudoku has 81 characters, got 80"),
                e.getMessage());
    }
}
