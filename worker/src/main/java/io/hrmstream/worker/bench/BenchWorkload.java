package io.hrmstream.worker.bench;

import io.hrmstream.puzzles.PuzzleTask;
import io.hrmstream.puzzles.PuzzleTasks;
import io.hrmstream.puzzles.data.HrmCsv;
import io.hrmstream.puzzles.data.LabeledPuzzle;
import io.hrmstream.puzzles.data.SudokuGenerator;
import io.hrmstream.puzzles.data.SudokuPuzzle;
import io.hrmstream.worker.engine.BatchingMode;
import io.hrmstream.worker.engine.SolveRequest;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The puzzles a benchmark submits, the same sequence for every mode, with their answers.
 *
 * <p>Generated workload: Sudoku puzzles with unique solutions in three difficulty bands, each drawn with
 * probability 1/3: easy 45-50 givens, medium 38-44, hard 30-37 (the training probe's bands). For a random model
 * ({@code emulateHalting}) the q head means nothing, so halting is emulated: each puzzle gets a halting step drawn
 * from its band and submits it as the request's maxSteps, so it leaves the batch there as a trained q head would
 * make it. With H = halt_max_steps (H = 16: easy 2-6, medium 5-12, hard 12-16, mean 8.83):
 * <ul>
 *   <li>easy: uniform in [ceil(H/8), ceil(3H/8)]</li>
 *   <li>medium: uniform in [ceil(5H/16), ceil(3H/4)]</li>
 *   <li>hard: uniform in [ceil(3H/4), H]</li>
 * </ul>
 * A trained model ({@code --model}, or {@code --data} with answers) halts by its own q head.
 * FIXED ignores halting by definition (the official inference), so under FIXED every puzzle asks for
 * halt_max_steps.
 *
 * @param puzzles     in submission order
 * @param description what the puzzles and their halting are, printed with the results
 */
public record BenchWorkload(List<Puzzle> puzzles, String description) {

    /**
     * @param haltStep the emulated halting step, 0 when the model's q head decides
     * @param answer   the expected tokens
     */
    public record Puzzle(String id, int[] tokens, int puzzleIdentifier, String band, int haltStep, int[] answer) {

        SolveRequest request(BatchingMode mode, int haltMaxSteps) {
            int maxSteps = haltStep > 0 && mode.honoursQHalt() ? haltStep : haltMaxSteps;
            return new SolveRequest(id, tokens, puzzleIdentifier, maxSteps);
        }
    }

    private static final String[] BANDS = {"easy", "medium", "hard"};
    private static final int[][] GIVENS = {{45, 50}, {38, 44}, {30, 37}};

    /** Generated Sudoku of mixed difficulty; with {@code emulateHalting}, halting steps drawn per band. */
    public static BenchWorkload generatedSudoku(int count, int haltMaxSteps, boolean emulateHalting, long seed) {
        int h = haltMaxSteps;
        int[][] haltSteps = {
                {ceilDiv(h, 8), ceilDiv(3 * h, 8)},
                {ceilDiv(5 * h, 16), ceilDiv(3 * h, 4)},
                {ceilDiv(3 * h, 4), h},
        };
        SudokuGenerator[] generators = new SudokuGenerator[BANDS.length];
        for (int b = 0; b < BANDS.length; b++) generators[b] = new SudokuGenerator(GIVENS[b][0], GIVENS[b][1], seed + b);
        PuzzleTask task = PuzzleTasks.forName("sudoku").orElseThrow();
        Random random = new Random(seed);
        List<Puzzle> puzzles = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int band = random.nextInt(BANDS.length);
            int haltStep = haltSteps[band][0] + random.nextInt(haltSteps[band][1] - haltSteps[band][0] + 1);
            SudokuPuzzle sudoku = generators[band].next();
            puzzles.add(new Puzzle("bench-" + i, task.encode(sudoku.puzzleGrid()), 0, BANDS[band],
                    emulateHalting ? haltStep : 0, task.encode(sudoku.solutionGrid())));
        }
        String bands = String.format("sudoku generated with unique solutions, bands drawn with probability 1/3: "
                + "easy %d-%d givens, medium %d-%d, hard %d-%d", GIVENS[0][0], GIVENS[0][1], GIVENS[1][0],
                GIVENS[1][1], GIVENS[2][0], GIVENS[2][1]);
        if (!emulateHalting) return new BenchWorkload(List.copyOf(puzzles), bands + "; halting by the model's q head");
        double mean = (mean(haltSteps[0]) + mean(haltSteps[1]) + mean(haltSteps[2])) / 3;
        return new BenchWorkload(List.copyOf(puzzles), String.format(bands + "; halting emulated (no trained model): "
                        + "maxSteps per request drawn per band: easy U[%d,%d], medium U[%d,%d], hard U[%d,%d] "
                        + "(expected mean %.2f steps); fixed runs every puzzle to halt_max_steps=%d",
                haltSteps[0][0], haltSteps[0][1], haltSteps[1][0], haltSteps[1][1], haltSteps[2][0], haltSteps[2][1],
                mean, h));
    }

    /** The first {@code count} puzzles of an HRM CSV ({@code source,q,a,rating}), halting by the model's q head. */
    public static BenchWorkload hrmCsv(Path file, PuzzleTask task, int count) throws IOException {
        List<Puzzle> puzzles = new ArrayList<>(count);
        try (Reader reader = HrmCsv.open(file);
             Stream<LabeledPuzzle> rows = HrmCsv.read(reader, task.name())) {
            rows.limit(count).forEach(row -> puzzles.add(new Puzzle(row.source() + "#" + puzzles.size(),
                    task.encode(row.question()), 0, task.name(), 0, task.encode(row.answer()))));
        }
        if (puzzles.size() < count) {
            throw new IllegalArgumentException(file + " holds " + puzzles.size() + " puzzles, " + count + " asked for");
        }
        return new BenchWorkload(List.copyOf(puzzles), "the first " + count + " " + task.name() + " puzzles of "
                + file + "; halting by the model's q head");
    }

    /** The first {@code count} puzzles, each halting after two steps: to warm the JIT and libtorch up. */
    public BenchWorkload warmUp(int count) {
        List<Puzzle> firsts = new ArrayList<>();
        for (Puzzle p : puzzles.subList(0, Math.min(count, puzzles.size()))) {
            firsts.add(new Puzzle(p.id(), p.tokens(), p.puzzleIdentifier(), p.band(), 2, p.answer()));
        }
        return new BenchWorkload(List.copyOf(firsts), "warm-up");
    }

    private static double mean(int[] range) {
        return (range[0] + range[1]) / 2.0;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
