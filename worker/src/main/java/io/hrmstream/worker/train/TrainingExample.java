package io.hrmstream.worker.train;

/**
 * One puzzle as the model trains on it.
 *
 * @param inputs     model tokens [S]
 * @param labels     target tokens [S]; {@link ActLosses#IGNORE_LABEL} where nothing is predicted
 * @param difficulty the domain's difficulty measure (sudoku: givens count, maze: shortest path length)
 */
public record TrainingExample(int[] inputs, int[] labels, int difficulty) {

    public TrainingExample {
        if (inputs.length != labels.length) {
            throw new IllegalArgumentException("inputs " + inputs.length + " vs labels " + labels.length);
        }
    }
}
