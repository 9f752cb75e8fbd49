package io.hrmstream.tools.input;

import io.hrmstream.puzzles.PuzzleTask;
import io.hrmstream.puzzles.PuzzleTasks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a source through once before anything is sent, so a bad puzzle at line 90,000 stops the run with its
 * {@code file:line} before the first request leaves, not half-way through. Besides the format, each puzzle must
 * name a known task and pass that task's input check (the one the worker applies before it REJECTs a request).
 */
public final class Preflight {

    private Preflight() {
    }

    /**
     * Reads up to {@code limit} puzzles (all when negative) and returns how many there are.
     *
     * @param checkTasks also apply {@link #check} to each
     * @throws PuzzleInputException at the first puzzle that cannot be read
     */
    public static long count(PuzzleSource source, long limit, boolean checkTasks) throws IOException {
        long count = 0;
        try (PuzzleStream stream = source.open()) {
            while ((limit < 0 || count < limit) && stream.hasNext()) {
                Puzzle puzzle = stream.next();
                if (checkTasks) {
                    check(puzzle);
                }
                count++;
            }
        }
        return count;
    }

    /** Reads up to {@code limit} puzzles into memory (bench sends from memory, so reading does not pace it). */
    public static List<Puzzle> load(PuzzleSource source, long limit, boolean checkTasks) throws IOException {
        List<Puzzle> puzzles = new ArrayList<>();
        try (PuzzleStream stream = source.open()) {
            while ((limit < 0 || puzzles.size() < limit) && stream.hasNext()) {
                Puzzle puzzle = stream.next();
                puzzles.add(checkTasks ? check(puzzle) : puzzle);
            }
        }
        return puzzles;
    }

    /**
     * @return the puzzle, when its task is known and accepts its question
     * @throws PuzzleInputException naming the puzzle's origin otherwise
     */
    public static Puzzle check(Puzzle puzzle) {
        PuzzleTask task = PuzzleTasks.forName(puzzle.task()).orElseThrow(() -> new PuzzleInputException(
                puzzle.origin(), "unknown task '" + puzzle.task() + "'; known tasks: " + PuzzleTasks.names()));
        task.checkInput(puzzle.question().toAvro()).ifPresent(problem -> {
            throw new PuzzleInputException(puzzle.origin(), problem);
        });
        return puzzle;
    }
}
