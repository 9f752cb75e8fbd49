package io.hrmstream.tools.cli;

import io.hrmstream.puzzles.data.HrmCsv;
import io.hrmstream.puzzles.data.LabeledPuzzle;
import io.hrmstream.tools.input.GeneratorSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code hrm-tools generate}: puzzles with their answers, in the official HRM CSV layout. */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = {"Generates puzzles with their answers in the official HRM dataset CSV layout "
                + "(source,q,a,rating), to a file or stdout.",
                "sudoku: a unique solution, givens drawn from --givens, rating = backtracks of the exact solver. "
                        + "maze: --size x --size, a shortest S-to-G path marked 'o', rating = its length."})
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GeneratorOptions generator;

    @Option(names = {"-n", "--count"}, paramLabel = "N", required = true, description = "Puzzles to generate.")
    long count;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "CSV file to write (default: stdout).")
    Path output;

    @Mixin
    ProgressOptions progress;

    @Override
    public Integer call() throws Exception {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        GeneratorSpec settings = generator.spec(spec.commandLine().getErr());
        Supplier<LabeledPuzzle> puzzles = settings.generator();
        Writer target = output == null ? stdout : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        try (Progress bar = progress.start("generate", count)) {
            HrmCsv.Writer csv = HrmCsv.writer(target, settings.task());
            for (long i = 0; i < count; i++) {
                csv.write(puzzles.get());
                bar.step();
            }
            csv.flush();
        } finally {
            if (output != null) {
                target.close();
            }
        }
        return 0;
    }
}
