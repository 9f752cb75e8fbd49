package io.hrmstream.puzzles.data;

import java.util.random.RandomGenerator;

/**
 * An exact 9x9 Sudoku solver: depth-first search over bitmasks of the digits each row, column and box
 * still lacks, always filling the empty cell with the fewest candidates first (a cell with one candidate
 * is filled without guessing). It counts solutions up to a limit and the backtracks it needed.
 *
 * <p>Backtracks are the dead ends reached (an empty cell with no candidate left): the measure of search
 * effort behind the official datasets' {@code rating} column. Our count is not tdoku's (which also uses
 * hidden singles), so the scales differ; the order of difficulty is what it gives.
 *
 * <p>Written by hand: a solver that counts solutions and backtracks this way is not a library on Maven
 * Central. Not thread-safe: one instance per thread.
 */
public final class SudokuSolver {

    /**
     * @param solutions  solutions found, at most the limit asked for
     * @param backtracks dead ends reached during the search
     * @param solution   the first solution found (81 cells, 1..9), or null when there is none
     */
    public record Result(int solutions, long backtracks, byte[] solution) {
    }

    private static final int ALL = 0b11_1111_1110; // digits 1..9 as bits 1..9

    private final RandomGenerator valueOrder;
    private final int[] rowUsed = new int[9], colUsed = new int[9], boxUsed = new int[9];
    private final byte[] cells = new byte[81];
    private int limit;
    private int solutions;
    private long backtracks;
    private byte[] first;

    /** A solver that tries candidates in increasing order: deterministic counts. */
    public SudokuSolver() {
        this(null);
    }

    /** A solver that tries candidates in random order (for random complete grids); null for increasing. */
    public SudokuSolver(RandomGenerator valueOrder) {
        this.valueOrder = valueOrder;
    }

    /**
     * Searches the puzzle (81 cells, 0 blank, 1..9 given) until {@code solutionLimit} solutions are found
     * or the search space is exhausted. Givens that clash have no solution.
     */
    public Result solve(byte[] puzzle, int solutionLimit) {
        if (puzzle.length != 81) throw new IllegalArgumentException("a sudoku has 81 cells, got " + puzzle.length);
        if (solutionLimit < 1) throw new IllegalArgumentException("solutionLimit must be >= 1");
        java.util.Arrays.fill(rowUsed, 0);
        java.util.Arrays.fill(colUsed, 0);
        java.util.Arrays.fill(boxUsed, 0);
        limit = solutionLimit;
        solutions = 0;
        backtracks = 0;
        first = null;
        for (int i = 0; i < 81; i++) {
            int digit = puzzle[i];
            if (digit < 0 || digit > 9) throw new IllegalArgumentException("cell " + i + " is " + digit + ", not 0..9");
            cells[i] = (byte) digit;
            if (digit == 0) continue;
            int bit = 1 << digit, r = i / 9, c = i % 9, b = box(r, c);
            if (((rowUsed[r] | colUsed[c] | boxUsed[b]) & bit) != 0) return new Result(0, 0, null);
            rowUsed[r] |= bit;
            colUsed[c] |= bit;
            boxUsed[b] |= bit;
        }
        search();
        return new Result(solutions, backtracks, first);
    }

    /** Number of solutions, counting no further than {@code limit}: {@code countSolutions(p, 2) == 1} means unique. */
    public int countSolutions(byte[] puzzle, int limit) {
        return solve(puzzle, limit).solutions();
    }

    private static int box(int r, int c) {
        return r / 3 * 3 + c / 3;
    }

    private void search() {
        // the empty cell with the fewest candidates
        int best = -1, bestCandidates = 0, bestCount = 10;
        for (int i = 0; i < 81; i++) {
            if (cells[i] != 0) continue;
            int r = i / 9, c = i % 9;
            int candidates = ALL & ~(rowUsed[r] | colUsed[c] | boxUsed[box(r, c)]);
            int count = Integer.bitCount(candidates);
            if (count < bestCount) {
                best = i;
                bestCandidates = candidates;
                bestCount = count;
                if (count <= 1) break;
            }
        }
        if (best < 0) { // no empty cell: solved
            if (solutions++ == 0) first = cells.clone();
            return;
        }
        if (bestCount == 0) {
            backtracks++;
            return;
        }
        int r = best / 9, c = best % 9, b = box(r, c);
        int[] digits = candidateOrder(bestCandidates, bestCount);
        for (int digit : digits) {
            int bit = 1 << digit;
            cells[best] = (byte) digit;
            rowUsed[r] |= bit;
            colUsed[c] |= bit;
            boxUsed[b] |= bit;
            search();
            rowUsed[r] &= ~bit;
            colUsed[c] &= ~bit;
            boxUsed[b] &= ~bit;
            cells[best] = 0;
            if (solutions >= limit) return;
        }
    }

    private int[] candidateOrder(int candidates, int count) {
        int[] digits = new int[count];
        for (int k = 0, bits = candidates; bits != 0; bits &= bits - 1) digits[k++] = Integer.numberOfTrailingZeros(bits);
        if (valueOrder != null) {
            for (int i = count - 1; i > 0; i--) {
                int j = valueOrder.nextInt(i + 1);
                int t = digits[i];
                digits[i] = digits[j];
                digits[j] = t;
            }
        }
        return digits;
    }
}
