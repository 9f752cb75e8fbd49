package io.hrmstream.tools.cli;

import io.hrmstream.tools.input.GeneratorSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintWriter;
import java.util.SplittableRandom;

/** The puzzles' task, and how to generate them (generate, and publish/bench with --generate). */
public final class GeneratorOptions {

    /** {@code --givens 40-55} or {@code --givens 45}. */
    public record GivensRange(int min, int max) {
    }

    /** Reads a givens range. */
    public static final class GivensRangeConverter implements ITypeConverter<GivensRange> {
        @Override
        public GivensRange convert(String value) {
            String[] parts = value.trim().split("-", -1);
            try {
                if (parts.length == 1) {
                    int n = Integer.parseInt(parts[0].trim());
                    return new GivensRange(n, n);
                }
                if (parts.length == 2) {
                    return new GivensRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not a givens range; write e.g. 40-55 or 45");
        }
    }

    @Option(names = {"-t", "--task"}, defaultValue = GeneratorSpec.SUDOKU,
            description = "Task of the puzzles: sudoku or maze (for generating and for HRM CSV input; default "
                    + "${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--givens", paramLabel = "MIN-MAX", defaultValue = "30-45",
            converter = GivensRangeConverter.class,
            description = "Sudoku: number of givens, drawn uniformly from this range; at least 17 (default "
                    + "${DEFAULT-VALUE}).")
    GivensRange givens;

    @Option(names = "--size", paramLabel = "N", defaultValue = "9",
            description = "Maze: rows and columns (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--loops", paramLabel = "FRACTION", defaultValue = "0.1",
            description = "Maze: chance of opening each wall beside an open cell after carving, which makes "
                    + "several paths; in [0, 1) (default ${DEFAULT-VALUE}).")
    double loops;

    @Option(names = "--min-path", paramLabel = "MOVES",
            description = "Maze: fewest moves from S to G (default: the size).")
    Integer minPath;

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
        return new GeneratorSpec(task, givens.min(), givens.max(), size, loops,
                minPath != null ? minPath : size, resolvedSeed);
    }
}
