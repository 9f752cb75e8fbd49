package io.hrmstream.tools.input;

import io.hrmstream.puzzles.data.LabeledPuzzle;
import io.hrmstream.puzzles.data.MazeGenerator;
import io.hrmstream.puzzles.data.MazePuzzle;
import io.hrmstream.puzzles.data.SudokuGenerator;
import io.hrmstream.puzzles.data.SudokuPuzzle;

import java.util.function.Supplier;

/**
 * What to generate, with the schemas module's generators: sudoku with a unique solution and a number of givens drawn
 * from [minGivens, maxGivens] (rating = the exact solver's backtracks), or size x size mazes with a shortest S-to-G
 * path marked 'o' (rating = that path's length). The same spec and seed give the same puzzles.
 */
public record GeneratorSpec(String task, int minGivens, int maxGivens, int size, double loopFraction,
                            int minPathLength, long seed) {

    public static final String SUDOKU = "sudoku";
    public static final String MAZE = "maze";

    public GeneratorSpec {
        if (!task.equals(SUDOKU) && !task.equals(MAZE)) {
            throw new IllegalArgumentException("only sudoku and maze puzzles can be generated, not '" + task + "'");
        }
    }

    /** The {@code source} column of generated rows: enough to make them again. */
    public String sourceLabel() {
        return task.equals(SUDOKU)
                ? "hrm-tools generate sudoku givens=" + minGivens + "-" + maxGivens + " seed=" + seed
                : "hrm-tools generate maze size=" + size + " loops=" + loopFraction + " min-path=" + minPathLength
                        + " seed=" + seed;
    }

    /** An endless supply of puzzles in the HRM CSV row form. Not thread-safe. */
    public Supplier<LabeledPuzzle> generator() {
        String source = sourceLabel();
        if (task.equals(SUDOKU)) {
            SudokuGenerator sudoku = new SudokuGenerator(minGivens, maxGivens, seed);
            return () -> {
                SudokuPuzzle p = sudoku.next();
                return new LabeledPuzzle(source, p.puzzleGrid(), p.solutionGrid(), p.rating());
            };
        }
        MazeGenerator mazes = new MazeGenerator(size, loopFraction, minPathLength, seed);
        return () -> {
            MazePuzzle p = mazes.next();
            return new LabeledPuzzle(source, p.maze(), p.solution(), p.pathLength());
        };
    }
}
