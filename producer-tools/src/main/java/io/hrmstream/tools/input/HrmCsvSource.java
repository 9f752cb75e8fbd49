package io.hrmstream.tools.input;

import io.hrmstream.puzzles.data.HrmCsv;
import io.hrmstream.puzzles.data.LabeledPuzzle;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Puzzles in the official HRM dataset CSV layout ({@code source,q,a,rating}, a header row first), read by
 * {@link HrmCsv}; the {@code a} column is the known answer. The file does not say its task, so it is given.
 */
public final class HrmCsvSource implements PuzzleSource {

    private final InputFile file;
    private final String task;
    private final int puzzleId;

    /** @param task "sudoku" or "maze" */
    public HrmCsvSource(InputFile file, String task, int puzzleId) {
        this.file = file;
        this.task = task;
        this.puzzleId = puzzleId;
    }

    @Override
    public String describe() {
        return file.name() + " (HRM CSV, " + task + ")";
    }

    @Override
    public PuzzleStream open() throws IOException {
        Reader reader = file.openReader();
        Stream<LabeledPuzzle> rows;
        try {
            rows = HrmCsv.read(reader, task);
        } catch (IllegalArgumentException e) {
            reader.close();
            throw new PuzzleInputException(file.name(), e.getMessage());
        }
        Iterator<LabeledPuzzle> iterator = rows.iterator();
        int[] row = {0};
        Iterator<Puzzle> puzzles = new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return iterator.hasNext();
                } catch (IllegalArgumentException | UncheckedIOException e) {
                    // HrmCsv names the line ("line 7, q: ..."); say which file too
                    throw new PuzzleInputException(file.name(), e.getMessage());
                }
            }

            @Override
            public Puzzle next() {
                hasNext();
                LabeledPuzzle labeled = iterator.next();
                row[0]++;
                return new Puzzle(task, CellGrid.of(labeled.question()), CellGrid.of(labeled.answer()), puzzleId,
                        file.name() + "#row" + row[0]);
            }
        };
        return PuzzleStream.of(puzzles, rows::close);
    }
}
