package io.hrmstream.tools.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;

/**
 * Sudoku puzzles one a line: 81 characters, row by row, a digit 1-9 for a given and '.' or '0' for a blank (the
 * common "sudoku line" format of puzzle collections). Blank lines and lines starting with '#' are skipped. The line
 * carries no answer.
 */
public final class SudokuLinesSource implements PuzzleSource {

    public static final String TASK = "sudoku";
    private static final int SIDE = 9;
    private static final int CELLS = SIDE * SIDE;

    private final InputFile file;

    public SudokuLinesSource(InputFile file) {
        this.file = file;
    }

    @Override
    public String describe() {
        return file.name() + " (sudoku lines)";
    }

    /** Parses one line into sudoku cells 0..9 (0 = blank). */
    public static CellGrid parseLine(String line, String origin) {
        String text = line.strip();
        if (text.length() != CELLS) {
            throw new PuzzleInputException(origin, "a sudoku line has 81 cells, this one has " + text.length()
                    + " characters");
        }
        byte[] cells = new byte[CELLS];
        for (int i = 0; i < CELLS; i++) {
            char c = text.charAt(i);
            if (c == '.' || c == '0') {
                cells[i] = 0;
            } else if (c >= '1' && c <= '9') {
                cells[i] = (byte) (c - '0');
            } else {
                throw new PuzzleInputException(origin, "character '" + c + "' at column " + (i + 1)
                        + " is not a digit 1-9, '.' or '0'");
            }
        }
        return new CellGrid(SIDE, SIDE, cells);
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
                        next = new Puzzle(TASK, parseLine(line, origin), null, 0, origin);
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
