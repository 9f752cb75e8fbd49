package io.hrmstream.puzzles.data;

import io.hrmstream.puzzles.Grids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HrmCsvTest {

    private static List<LabeledPuzzle> readAll(String csv, String task) throws IOException {
        try (Stream<LabeledPuzzle> rows = HrmCsv.read(new StringReader(csv), task)) {
            return rows.toList();
        }
    }

    @Test
    void readsOfficialSudokuRowsWithDotOrZeroBlanksWhateverTheHeaderSays() throws IOException {
        String csv = "source,question,answer,rating\n"
                + "puzzles0_kaggle," + SudokuSolverTest.EASY + "," + SudokuSolverTest.EASY_SOLUTION + ",3\n"
                + "zeros," + SudokuSolverTest.EASY.replace('.', '0') + "," + SudokuSolverTest.EASY_SOLUTION + ",0\n";

        List<LabeledPuzzle> rows = readAll(csv, "sudoku");

        assertEquals(2, rows.size());
        assertEquals(new LabeledPuzzle("puzzles0_kaggle", Grids.of(9, 9, SudokuSolverTest.cells(SudokuSolverTest.EASY)),
                Grids.of(9, 9, SudokuSolverTest.cells(SudokuSolverTest.EASY_SOLUTION)), 3), rows.get(0));
        assertEquals(rows.get(0).question(), rows.get(1).question());
    }

    @Test
    void writesSudokuBlanksAsDotsAndReadsBackWhatItWrote() throws IOException {
        SudokuPuzzle generated = new SudokuGenerator(30, 35, 1).next();
        LabeledPuzzle row = new LabeledPuzzle("generated, seed 1", generated.puzzleGrid(), generated.solutionGrid(), generated.rating());
        StringBuilder out = new StringBuilder();
        try (HrmCsv.Writer writer = HrmCsv.writer(out, "sudoku")) {
            writer.write(row);
        }

        String[] lines = out.toString().split("\r\n");
        assertEquals("source,q,a,rating", lines[0]);
        assertEquals("\"generated, seed 1\"," + HrmCsv.textFromGrid("sudoku", generated.puzzleGrid()) + ","
                + HrmCsv.textFromGrid("sudoku", generated.solutionGrid()) + "," + generated.rating(), lines[1]);
        assertEquals(81 - generated.givens(), lines[1].chars().filter(c -> c == '.').count());
        assertEquals(List.of(row), readAll(out.toString(), "sudoku"));
    }

    @Test
    void mazeRowsRoundTripWithTheirSpacesAndWalls() throws IOException {
        MazePuzzle maze = new MazeGenerator(7, 0.1, 4, 3).next();
        LabeledPuzzle row = new LabeledPuzzle("gen", maze.maze(), maze.solution(), maze.pathLength());
        StringBuilder out = new StringBuilder();
        try (HrmCsv.Writer writer = HrmCsv.writer(out, "maze")) {
            writer.write(row);
        }

        assertEquals(List.of(row), readAll(out.toString(), "maze"));
        assertEquals(HrmCsv.textFromGrid("maze", maze.maze()).length(), 49);
    }

    @Test
    void badRowsAreReportedWithTheirLine() {
        String shortQ = "source,q,a,rating\nx,123,456,0\n";
        String badRating = "source,q,a,rating\nx," + SudokuSolverTest.EASY + "," + SudokuSolverTest.EASY_SOLUTION + ",hard\n";
        String notSquare = "source,q,a,rating\nx,#S G#,#SoG#,1\n";
        String threeFields = "source,q,a,rating\nx,y,z\n";

        assertEquals("line 2, q: a sudoku has 81 characters, got 3",
                assertThrows(IllegalArgumentException.class, () -> readAll(shortQ, "sudoku")).getMessage());
        assertEquals("line 2: rating 'hard' is not an integer",
                assertThrows(IllegalArgumentException.class, () -> readAll(badRating, "sudoku")).getMessage());
        assertEquals("line 2, q: 5 characters do not make a square maze",
                assertThrows(IllegalArgumentException.class, () -> readAll(notSquare, "maze")).getMessage());
        assertEquals("line 2: expected 4 fields source,q,a,rating, got 3",
                assertThrows(IllegalArgumentException.class, () -> readAll(threeFields, "maze")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> readAll(shortQ, "arc"));
    }

    @Test
    void aFileWhoseNameEndsInGzIsReadGunzippedAndAnyOtherAsItIs(@TempDir Path dir) throws IOException {
        String csv = "source,q,a,rating\nfirst," + SudokuSolverTest.EASY + "," + SudokuSolverTest.EASY_SOLUTION + ",3\n";
        Path plain = Files.writeString(dir.resolve("train.csv"), csv);
        Path zipped = dir.resolve("train.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(zipped))) {
            out.write(csv.getBytes(StandardCharsets.UTF_8));
        }

        for (Path file : List.of(plain, zipped)) {
            try (Reader in = HrmCsv.open(file); Stream<LabeledPuzzle> rows = HrmCsv.read(in, "sudoku")) {
                assertEquals(readAll(csv, "sudoku"), rows.toList(), file.getFileName().toString());
            }
        }
    }
}
