package io.hrmstream.puzzles.data;

import java.util.random.RandomGenerator;

/**
 * The official builder's Sudoku augmentation ({@code shuffle_sudoku} in
 * {@code dataset/build_sudoku_dataset.py}), applied alike to a puzzle and its solution: relabel the
 * digits 1..9 by a random permutation (blank stays 0), transpose with probability 1/2, then permute the
 * three bands and the rows within each band, and the three stacks and the columns within each stack.
 * Every such transform maps a valid Sudoku to a valid Sudoku.
 */
public final class SudokuAugmentation {

    private SudokuAugmentation() {
    }

    /**
     * One random transform.
     *
     * @param digitMap cell value v becomes digitMap[v]; digitMap[0] = 0
     * @param transpose transpose before permuting
     * @param rowPerm  new row i comes from old row rowPerm[i]
     * @param colPerm  new column j comes from old column colPerm[j]
     */
    public record Transform(int[] digitMap, boolean transpose, int[] rowPerm, int[] colPerm) {

        /** Drawn as the official builder draws it. */
        public static Transform random(RandomGenerator rng) {
            int[] digits = permutation(9, rng);
            int[] digitMap = new int[10];
            for (int d = 1; d <= 9; d++) digitMap[d] = digits[d - 1] + 1;
            boolean transpose = rng.nextDouble() < 0.5;
            return new Transform(digitMap, transpose, bandedPermutation(rng), bandedPermutation(rng));
        }

        /** Transforms one 81-cell board. */
        public byte[] apply(byte[] board) {
            byte[] source = transpose ? transposed(board) : board;
            byte[] out = new byte[81];
            for (int i = 0; i < 81; i++) {
                out[i] = (byte) digitMap[source[rowPerm[i / 9] * 9 + colPerm[i % 9]]];
            }
            return out;
        }

        /** Undoes {@link #apply}: {@code invert(apply(b))} is {@code b} for every board. */
        public byte[] invert(byte[] transformed) {
            int[] digitInverse = new int[10];
            for (int v = 0; v <= 9; v++) digitInverse[digitMap[v]] = v;
            byte[] source = new byte[81];
            for (int i = 0; i < 81; i++) {
                source[rowPerm[i / 9] * 9 + colPerm[i % 9]] = (byte) digitInverse[transformed[i]];
            }
            return transpose ? transposed(source) : source;
        }
    }

    /**
     * A random transform applied to both the puzzle and its solution; the givens and rating are the
     * original's (the transform keeps the puzzle's logic, only the solver's visiting order changes).
     */
    public static SudokuPuzzle shuffle(SudokuPuzzle puzzle, RandomGenerator rng) {
        Transform transform = Transform.random(rng);
        return new SudokuPuzzle(transform.apply(puzzle.puzzle()), transform.apply(puzzle.solution()),
                puzzle.givens(), puzzle.rating());
    }

    /** Bands in random order, and the three lines of each band in random order. */
    private static int[] bandedPermutation(RandomGenerator rng) {
        int[] bands = permutation(3, rng);
        int[] lines = new int[9];
        for (int b = 0; b < 3; b++) {
            int[] within = permutation(3, rng);
            for (int k = 0; k < 3; k++) lines[b * 3 + k] = bands[b] * 3 + within[k];
        }
        return lines;
    }

    private static int[] permutation(int n, RandomGenerator rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static byte[] transposed(byte[] board) {
        byte[] out = new byte[81];
        for (int r = 0; r < 9; r++) {
            for (int c = 0; c < 9; c++) out[c * 9 + r] = board[r * 9 + c];
        }
        return out;
    }
}
