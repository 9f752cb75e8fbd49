package io.hrmstream.tools.input;

import io.hrmstream.puzzles.data.HrmCsv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;

/**
 * Sudoku puzzles one a line: 81 characters, row by row, a digit 1-9 for a given and '.' or '0' for a blank (the
 * common "sudoku line" format of puzzle collections; each line reads as the q column of the HRM CSV). Blank lines
 * and lines starting with '#' are skipped. A line carries no answer.
 */
public final class SudokuLinesSource implements PuzzleSource {

    public static final String TASK = "sudoku";

    private final InputFile file;
    private final int puzzleId;

    public SudokuLinesSource(InputFile file, int puzzleId) {
        this.file = file;
        this.puzzleId = puzzleId;
    }

    @Override
    public String describe() {
        return file.name() + " (sudoku lines)";
    }

    @Override
    public PuzzleStream open() throws IOException {
        BufferedReader reader = file.openReader();
        return new PuzzleStream() {
            private int lineNumber;
            private Puzzle next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                try {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lineNumber++;
                        if (line.isBlank() || line.startsWith("#")) {
                            continue;
                        }
                        String origin = file.name() + ":" + lineNumber;
                        try {
                            next = new Puzzle(TASK, CellGrid.of(HrmCsv.gridFromText(TASK, line.strip(), origin)),
                                    null, puzzleId, origin);
                        } catch (IllegalArgumentException e) {
                            throw new PuzzleInputException(e.getMessage(), e);
                        }
                        return true;
                    }
                    return false;
                } catch (IOException e) {
                    throw new UncheckedIOException(file.name() + ":" + lineNumber + ": " + e.getMessage(), e);
                }
            }

            @Override
            public Puzzle next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Puzzle puzzle = next;
                next = null;
                return puzzle;
            }

            @Override
            public void close() {
                try {
                    reader.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
