package io.hrmstream.worker.train;

import io.hrmstream.puzzles.Grids;
import io.hrmstream.puzzles.MazeTask;
import io.hrmstream.puzzles.PuzzleTask;
import io.hrmstream.puzzles.SudokuTask;
import io.hrmstream.puzzles.data.Dihedral;
import io.hrmstream.puzzles.data.HrmCsv;
import io.hrmstream.puzzles.data.LabeledPuzzle;
import io.hrmstream.puzzles.data.MazeGenerator;
import io.hrmstream.puzzles.data.MazePuzzle;
import io.hrmstream.puzzles.data.SudokuAugmentation;
import io.hrmstream.puzzles.data.SudokuGenerator;
import io.hrmstream.puzzles.data.SudokuPuzzle;
import io.hrmstream.schemas.Grid;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An endless supply of augmented training puzzles: generated on the fly (sudoku, maze) or drawn at random from an
 * HRM CSV file. Seeded; not thread-safe.
 */
public interface ExampleSource {

    TrainingExample next();

    /** Sudoku puzzles from {@link SudokuGenerator} with givens in [minGivens, maxGivens], official augmentation. */
    static ExampleSource sudoku(int minGivens, int maxGivens, long seed) {
        SudokuGenerator generator = new SudokuGenerator(minGivens, maxGivens, seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        return () -> sudokuExample(SudokuAugmentation.shuffle(generator.next(), random));
    }

    /** Mazes from {@link MazeGenerator}, each under a random one of the 8 dihedral transforms. */
    static ExampleSource maze(int size, double loopFraction, int minPathLength, long seed) {
        MazeGenerator generator = new MazeGenerator(size, loopFraction, minPathLength, seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        return () -> mazeExample(MazeGenerator.transform(generator.next(), random.nextInt(Dihedral.COUNT)));
    }

    /**
     * The puzzles of an HRM CSV (source,q,a,rating), drawn uniformly with replacement; sudoku rows get the official
     * augmentation, maze rows a random dihedral transform. The difficulty is the rating column; every puzzle has
     * puzzle identifier 0.
     */
    static ExampleSource csv(Path file, String task, long seed) throws IOException {
        return csv(file, task, seed, PuzzleIdentifiers.NONE);
    }

    /** As {@link #csv(Path, String, long)}, each puzzle with the identifier of its source column. */
    static ExampleSource csv(Path file, String task, long seed, PuzzleIdentifiers identifiers) throws IOException {
        List<LabeledPuzzle> puzzles = readCsv(file, task);
        SplittableRandom random = new SplittableRandom(seed);
        PuzzleTask codec = codec(task);
        return () -> {
            LabeledPuzzle p = puzzles.get(random.nextInt(puzzles.size()));
            Grid q = p.question();
            Grid a = p.answer();
            if (task.equals("sudoku")) {
                SudokuAugmentation.Transform t = SudokuAugmentation.Transform.random(random);
                q = Grids.of(9, 9, t.apply(Grids.cells(q)));
                a = Grids.of(9, 9, t.apply(Grids.cells(a)));
            } else {
                int t = random.nextInt(Dihedral.COUNT);
                q = Dihedral.transform(q, t);
                a = Dihedral.transform(a, t);
            }
            return new TrainingExample(codec.encode(q), codec.encode(a), labelled(p, task).difficulty(),
                    identifiers.of(p.source()));
        };
    }

    /** Every row of an HRM CSV; a bad row fails with its line number. */
    static List<LabeledPuzzle> readCsv(Path file, String task) throws IOException {
        try (Reader in = HrmCsv.open(file); Stream<LabeledPuzzle> rows = HrmCsv.read(in, task)) {
            List<LabeledPuzzle> all = rows.collect(Collectors.toList());
            if (all.isEmpty()) {
                throw new IllegalArgumentException(file + ": no puzzles");
            }
            return all;
        }
    }

    static PuzzleTask codec(String task) {
        return switch (task) {
            case "sudoku" -> new SudokuTask();
            case "maze" -> new MazeTask();
            default -> throw new IllegalArgumentException("task '" + task + "': expected sudoku or maze");
        };
    }

    /** The official sudoku encoding: token = digit + 1 for inputs (blank 1) and labels (the solution). */
    static TrainingExample sudokuExample(SudokuPuzzle p) {
        SudokuTask codec = new SudokuTask();
        return new TrainingExample(codec.encode(p.puzzleGrid()), codec.encode(p.solutionGrid()), p.givens());
    }

    static TrainingExample mazeExample(MazePuzzle p) {
        MazeTask codec = new MazeTask();
        return new TrainingExample(codec.encode(p.maze()), codec.encode(p.solution()), p.pathLength());
    }

    /** A labelled CSV row as an example of puzzle identifier 0. */
    static TrainingExample labelled(LabeledPuzzle p, String task) {
        return labelled(p, task, PuzzleIdentifiers.NONE);
    }

    /**
     * A labelled CSV row as an example with the identifier of its source column; sudoku difficulty = givens count,
     * maze = rating (path length).
     */
    static TrainingExample labelled(LabeledPuzzle p, String task, PuzzleIdentifiers identifiers) {
        PuzzleTask codec = codec(task);
        int difficulty = (int) p.rating();
        if (task.equals("sudoku")) {
            byte[] cells = Grids.cells(p.question());
            int givens = 0;
            for (byte c : cells) if (c != 0) givens++;
            difficulty = givens;
        }
        return new TrainingExample(codec.encode(p.question()), codec.encode(p.answer()), difficulty,
                identifiers.of(p.source()));
    }
}
