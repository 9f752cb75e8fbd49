package io.hrmstream.tools.cli;

import io.hrmstream.tools.input.InputFile;
import io.hrmstream.tools.input.PuzzleSource;
import io.hrmstream.tools.input.SudokuLinesSource;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;

/** Where publish and bench take their puzzles from: a file in one of the supported formats. */
public final class PuzzleSourceOptions {

    /** The input formats. */
    public enum Format {
        /** by the file's extension */
        AUTO,
        /** 81-character sudoku lines, '.' or '0' for blanks */
        LINES
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE",
            description = "Puzzle file, or - for standard input.")
    String input;

    @Option(names = "--format", defaultValue = "AUTO",
            description = "Input format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}: by extension).")
    Format format;

    @Option(names = "--check", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Check every puzzle against its task before sending (default); --no-check sends them "
                    + "as they are, e.g. to watch the worker REJECT bad ones.")
    boolean check;

    boolean generated() {
        return false;
    }

    PuzzleSource source(long count) throws IOException {
        if (input == null) {
            throw new ParameterException(command.commandLine(), "give --input FILE (or - for stdin)");
        }
        InputFile file = InputFile.of(input);
        return switch (format) {
            case AUTO, LINES -> new SudokuLinesSource(file);
        };
    }
}
