package io.hrmstream.worker.train;

/**
 * One puzzle as the model trains on it.
 *
 * @param inputs           model tokens [S]
 * @param labels           target tokens [S]; {@link ActLosses#IGNORE_LABEL} where nothing is predicted
 * @param difficulty       the domain's difficulty measure (sudoku: givens count, maze: shortest path length)
 * @param puzzleIdentifier the row of the puzzle-embedding table it trains and is read with
 *                         ({@link PuzzleIdentifiers}); 0 for generated puzzles, as the official sudoku and maze
 *                         builders give every puzzle
 */
public record TrainingExample(int[] inputs, int[] labels, int difficulty, int puzzleIdentifier) {

    public TrainingExample {
        if (inputs.length != labels.length) {
            throw new IllegalArgumentException("inputs " + inputs.length + " vs labels " + labels.length);
        }
        if (puzzleIdentifier < 0) {
            throw new IllegalArgumentException("negative puzzle identifier " + puzzleIdentifier);
        }
    }

    /** A puzzle of puzzle identifier 0. */
    public TrainingExample(int[] inputs, int[] labels, int difficulty) {
        this(inputs, labels, difficulty, 0);
    }
}
