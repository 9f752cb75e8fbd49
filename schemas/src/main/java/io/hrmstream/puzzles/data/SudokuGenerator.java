package io.hrmstream.puzzles.data;

import java.util.SplittableRandom;

/**
 * Random Sudoku puzzles with a unique solution: a random complete grid, then cells removed in random
 * order as long as the solution stays unique, down to a target number of givens drawn uniformly from
 * [minGivens, maxGivens]. Each puzzle records its givens and its rating (the exact solver's backtracks).
 *
 * <p>A random removal order can get stuck at a minimal puzzle (no cell can go without losing uniqueness)
 * above the target; then a fresh grid is tried, up to {@link #ATTEMPTS} times, and the sparsest puzzle
 * is kept, so {@code givens} may end above the target for targets below ~22. Seeded: the same seed and
 * range give the same puzzles. Not thread-safe.
 */
public final class SudokuGenerator {

    /** Complete grids tried per puzzle before settling for the sparsest. */
    public static final int ATTEMPTS = 10;
    /** No 9x9 Sudoku with fewer givens has a unique solution. */
    public static final int MIN_GIVENS = 17;

    private final int minGivens;
    private final int maxGivens;
    private final SplittableRandom random;
    private final SudokuSolver randomSolver;
    private final SudokuSolver solver = new SudokuSolver();

    public SudokuGenerator(int minGivens, int maxGivens, long seed) {
        if (minGivens < MIN_GIVENS || maxGivens > 81 || minGivens > maxGivens) {
            throw new IllegalArgumentException("givens range must lie in [17, 81], got [" + minGivens + ", " + maxGivens + "]");
        }
        this.minGivens = minGivens;
        this.maxGivens = maxGivens;
        this.random = new SplittableRandom(seed);
        this.randomSolver = new SudokuSolver(random);
    }

    /** The next puzzle. */
    public SudokuPuzzle next() {
        int target = random.nextInt(minGivens, maxGivens + 1);
        SudokuPuzzle best = null;
        for (int attempt = 0; attempt < ATTEMPTS && (best == null || best.givens() > target); attempt++) {
            SudokuPuzzle candidate = carve(completeGrid(), target);
            if (best == null || candidate.givens() < best.givens()) best = candidate;
        }
        return best;
    }

    /** A uniformly shuffled solution of the empty grid. */
    byte[] completeGrid() {
        return randomSolver.solve(new byte[81], 1).solution();
    }

    private SudokuPuzzle carve(byte[] solution, int target) {
        byte[] puzzle = solution.clone();
        int givens = 81;
        for (int cell : shuffledCells()) {
            if (givens == target) break;
            byte digit = puzzle[cell];
            puzzle[cell] = 0;
            if (solver.countSolutions(puzzle, 2) == 1) givens--;
            else puzzle[cell] = digit;
        }
        return new SudokuPuzzle(puzzle, solution, givens, solver.solve(puzzle, 1).backtracks());
    }

    private int[] shuffledCells() {
        int[] cells = new int[81];
        for (int i = 0; i < 81; i++) cells[i] = i;
        for (int i = 80; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = cells[i];
            cells[i] = cells[j];
            cells[j] = t;
        }
        return cells;
    }
}
