package io.hrmstream.tools.cli;

import io.hrmstream.puzzles.data.GivensRange;
import io.hrmstream.tools.input.GeneratorSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintWriter;
import java.util.SplittableRandom;

/** The puzzles' task, and how to generate them (generate, and publish/bench with --generate). */
public final class GeneratorOptions {

    /** Reads a givens range ({@link GivensRange#parse}). */
    public static final class GivensRangeConverter implements ITypeConverter<GivensRange> {
        @Override
        public GivensRange convert(String value) {
            try {
                return GivensRange.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = {"-t", "--task"}, defaultValue = GeneratorSpec.SUDOKU,
            description = "Task of the puzzles: sudoku or maze (for generating and for HRM CSV input; default "
                    + "${DEFAULT-VALUE}).")
    String task;

    // the shipped sudoku model's domain (its MODEL.md): a demo run out of the box gets the answers it can give
    @Option(names = "--givens", paramLabel = "MIN-MAX", defaultValue = "57-78",
            converter = GivensRangeConverter.class,
            description = "Sudoku: number of givens, drawn uniformly from this range; at least 17 (default "
                    + "${DEFAULT-VALUE}, the shipped model's domain).")
    GivensRange givens;

    // the shipped maze model's domain (its MODEL.md), as --givens is the sudoku model's: a demo run out of the box
    // sends mazes the shipped model takes (a maze of another size is REJECTED: the model's sequence is 7x7 tokens)
    @Option(names = "--size", paramLabel = "N", defaultValue = "7",
            description = "Maze: rows and columns (default ${DEFAULT-VALUE}, the shipped maze model's size).")
    int size;

    @Option(names = "--loops", paramLabel = "FRACTION", defaultValue = "0.1",
            description = "Maze: chance of opening each wall beside an open cell after carving, which makes "
                    + "several paths; in [0, 1) (default ${DEFAULT-VALUE}).")
    double loops;

    @Option(names = "--min-path", paramLabel = "MOVES", defaultValue = "4",
            description = "Maze: fewest moves from S to G (default ${DEFAULT-VALUE}, the shipped maze model's "
                    + "domain).")
    int minPath;

    @Option(names = "--seed", paramLabel = "SEED",
            description = "Random seed; the same seed and settings give the same puzzles (default: random, "
                    + "printed on stderr).")
    Long seed;

    /** The generator settings; a random seed is drawn here and printed so the run can be repeated. */
    GeneratorSpec spec(PrintWriter err) {
        long resolvedSeed = seed != null ? seed : new SplittableRandom().nextLong();
        if (seed == null) {
            err.println("seed " + resolvedSeed);
            err.flush();
        }
        return new GeneratorSpec(task, givens.min(), givens.max(), size, loops, minPath, resolvedSeed);
    }
}
