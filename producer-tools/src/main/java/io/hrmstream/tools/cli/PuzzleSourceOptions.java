package io.hrmstream.tools.cli;

import io.hrmstream.puzzles.data.ArcIdentifiers;
import io.hrmstream.schemas.RequestAttributeNames;
import io.hrmstream.tools.input.ArcJsonSource;
import io.hrmstream.tools.input.GeneratedSource;
import io.hrmstream.tools.input.HrmCsvSource;
import io.hrmstream.tools.input.InputFile;
import io.hrmstream.tools.input.PuzzleSource;
import io.hrmstream.tools.input.SudokuLinesSource;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Where publish and bench take their puzzles from: a file in one of the supported formats, or a generator. */
public final class PuzzleSourceOptions {

    /** The input file formats. */
    public enum Format {
        /** by the file's extension: .csv is CSV, .json is ARC, anything else LINES */
        AUTO,
        /** 81-character sudoku lines, '.' or '0' for blanks; no answers */
        LINES,
        /** the official HRM dataset CSV, source,q,a,rating, of --task sudoku or maze; a = the known answer */
        CSV,
        /** ARC-AGI JSON: a task file, a directory of them, or one file of id -> task; each test pair is a puzzle */
        ARC
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Mixin
    GeneratorOptions generator;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE",
            description = "Puzzle file (ARC: also a directory), or - for standard input.")
    String input;

    @Option(names = "--generate",
            description = "Generate the puzzles on the fly (see --task, --givens, --size, --seed) instead of "
                    + "reading --input.")
    boolean generate;

    @Option(names = "--format", defaultValue = "AUTO",
            description = "Input format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}: by extension).")
    Format format;

    @Option(names = "--puzzle-id", paramLabel = "N", defaultValue = "0",
            description = "puzzleId (the model's puzzle-embedding row) of every request (default ${DEFAULT-VALUE}).")
    int puzzleId;

    @Option(names = "--puzzle-ids", paramLabel = "FILE",
            description = "ARC: the dataset's identifiers.json (JSON array of names, index = puzzleId); each "
                    + "task's puzzleId is the index of its id. Every ARC request names its task in the attribute "
                    + RequestAttributeNames.ARC_TASK + ", by which a worker with --puzzle-ids votes over the task's "
                    + "augmented copies.")
    Path puzzleIds;

    @Option(names = "--check", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Check every puzzle against its task before the first send (default); --no-check sends "
                    + "them as they are, e.g. to watch the worker REJECT bad ones.")
    boolean check;

    boolean generated() {
        return generate;
    }

    /** @param count how many to generate (with --generate) */
    PuzzleSource source(long count) throws IOException {
        if (generate == (input != null)) {
            throw new ParameterException(command.commandLine(),
                    "give either --input FILE (- for stdin) or --generate");
        }
        if (generate) {
            if (count < 1) {
                throw new ParameterException(command.commandLine(), "--generate needs --count N");
            }
            return new GeneratedSource(generator.spec(command.commandLine().getErr()), count, puzzleId);
        }
        Format resolved = format == Format.AUTO ? byExtension(input) : format;
        if (resolved == Format.ARC) {
            if (input.equals("-")) {
                throw new ParameterException(command.commandLine(), "ARC input must be a file or directory, not -");
            }
            return new ArcJsonSource(Path.of(input),
                    puzzleIds == null ? Optional.empty() : Optional.of(ArcIdentifiers.read(puzzleIds)), puzzleId);
        }
        InputFile file = InputFile.of(input);
        return resolved == Format.CSV
                ? new HrmCsvSource(file, generator.task, puzzleId)
                : new SudokuLinesSource(file, puzzleId);
    }

    private static Format byExtension(String input) {
        String name = input.toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        if (name.endsWith(".json") || (!input.equals("-") && java.nio.file.Files.isDirectory(Path.of(input)))) {
            return Format.ARC;
        }
        return Format.LINES;
    }
}
