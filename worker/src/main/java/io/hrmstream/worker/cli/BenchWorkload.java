package io.hrmstream.worker.cli;

import io.hrmstream.worker.engine.BatchingMode;
import io.hrmstream.worker.engine.SolveRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The puzzles a benchmark submits, the same sequence for every mode.
 *
 * <p>Until a trained model exists, halting is emulated: each puzzle gets a halting step drawn from its difficulty
 * band and submits it as the request's maxSteps, so it leaves the batch there as a trained q head would make it.
 * FIXED ignores halting by definition (the official inference), so under FIXED every puzzle asks for
 * halt_max_steps. Bands, with H = halt_max_steps (H = 16: easy 2-6, medium 5-12, hard 12-16; mean 8.83):
 * <ul>
 *   <li>easy: uniform in [ceil(H/8), ceil(3H/8)]</li>
 *   <li>medium: uniform in [ceil(5H/16), ceil(3H/4)]</li>
 *   <li>hard: uniform in [ceil(3H/4), H]</li>
 * </ul>
 * each band drawn with probability 1/3. Tokens are uniform over the vocabulary without the padding token 0;
 * answers are unknown, so no accuracy is reported.
 *
 * @param puzzles     in submission order
 * @param description what the halting distribution is, printed with the results
 */
record BenchWorkload(List<Puzzle> puzzles, String description) {

    /**
     * @param haltStep the emulated halting step, 0 when the model's q head decides
     * @param answer   the expected tokens, null when unknown
     */
    record Puzzle(String id, int[] tokens, int puzzleIdentifier, String band, int haltStep, int[] answer) {

        SolveRequest request(BatchingMode mode, int haltMaxSteps) {
            int maxSteps = haltStep > 0 && mode.honoursQHalt() ? haltStep : haltMaxSteps;
            return new SolveRequest(id, tokens, puzzleIdentifier, maxSteps);
        }
    }

    static BenchWorkload emulatedHalting(int count, int seqLen, int vocabSize, int haltMaxSteps, long seed) {
        int h = haltMaxSteps;
        int[][] bands = {
                {ceilDiv(h, 8), ceilDiv(3 * h, 8)},
                {ceilDiv(5 * h, 16), ceilDiv(3 * h, 4)},
                {ceilDiv(3 * h, 4), h},
        };
        String[] names = {"easy", "medium", "hard"};
        Random random = new Random(seed);
        List<Puzzle> puzzles = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int band = random.nextInt(bands.length);
            int haltStep = bands[band][0] + random.nextInt(bands[band][1] - bands[band][0] + 1);
            int[] tokens = new int[seqLen];
            for (int t = 0; t < seqLen; t++) tokens[t] = 1 + random.nextInt(vocabSize - 1);
            puzzles.add(new Puzzle("bench-" + i, tokens, 0, names[band], haltStep, null));
        }
        double mean = (mean(bands[0]) + mean(bands[1]) + mean(bands[2])) / 3;
        String description = String.format(
                "emulated halting (no trained model): maxSteps per request drawn from difficulty bands, each with"
                        + " probability 1/3: easy U[%d,%d], medium U[%d,%d], hard U[%d,%d] (expected mean %.2f steps);"
                        + " fixed runs every puzzle to halt_max_steps=%d",
                bands[0][0], bands[0][1], bands[1][0], bands[1][1], bands[2][0], bands[2][1], mean, h);
        return new BenchWorkload(List.copyOf(puzzles), description);
    }

    /** Random tokens, halting left to the model's q head: for a trained model given with --model. */
    static BenchWorkload modelHalting(int count, int seqLen, int vocabSize, long seed) {
        Random random = new Random(seed);
        List<Puzzle> puzzles = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int[] tokens = new int[seqLen];
            for (int t = 0; t < seqLen; t++) tokens[t] = 1 + random.nextInt(vocabSize - 1);
            puzzles.add(new Puzzle("bench-" + i, tokens, 0, "random", 0, null));
        }
        return new BenchWorkload(List.copyOf(puzzles),
                "random tokens, halting decided by the model's q head; answers unknown");
    }

    boolean answersKnown() {
        return puzzles.stream().allMatch(p -> p.answer() != null);
    }

    private static double mean(int[] range) {
        return (range[0] + range[1]) / 2.0;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
