package io.hrmstream.tools.cli;

import io.hrmstream.tools.HrmTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line up to the point where a broker would be needed: help, usage errors, input errors. */
class HrmToolsCliTest {

    private static final String PUZZLE =
            "4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = HrmTools.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"publish", "collect", "bench"})
    void everySubcommandHasHelp(String command) {
        assertEquals(0, run(command, "--help"));
        assertTrue(out.toString().contains("Usage: hrm-tools " + command), out.toString());
        assertTrue(out.toString().contains("--bootstrap-servers"), out.toString());
    }

    @Test
    void aBadLineStopsPublishBeforeAnythingIsSentAndNamesTheLine() throws IOException {
        Path file = dir.resolve("puzzles.txt");
        Files.writeString(file, PUZZLE + "\n" + PUZZLE.substring(3) + "\n");
        assertEquals(1, run("publish", "--input", file.toString(), "--bootstrap-servers", "127.0.0.1:1"));
        assertEquals("hrm-tools publish: " + file + ":2: a sudoku line has 81 cells, this one has 78 characters",
                err.toString().strip());
    }

    @Test
    void aPuzzleTheTaskWouldRejectStopsPublishWithTheTasksReason() throws IOException {
        Path file = dir.resolve("puzzles.txt");
        Files.writeString(file, "44" + PUZZLE.substring(2) + "\n");
        assertEquals(1, run("publish", "--input", file.toString(), "--bootstrap-servers", "127.0.0.1:1"));
        assertTrue(err.toString().contains(file + ":1: given 4 appears twice in row 0"), err.toString());
    }

    @Test
    void aMalformedRateIsAUsageError() {
        assertEquals(2, run("publish", "--input", "x.txt", "--rate", "fast"));
        assertTrue(err.toString().contains("'fast'"), err.toString());
    }

    @Test
    void publishWithoutInputSaysWhatToGive() {
        assertEquals(2, run("publish"));
        assertTrue(err.toString().contains("--input"), err.toString());
    }

    @Test
    void aMissingAnswersFileIsNamed() {
        Path missing = dir.resolve("answers.jsonl");
        assertEquals(1, run("collect", "--answers", missing.toString()));
        assertTrue(err.toString().startsWith("hrm-tools collect: ") && err.toString().contains(missing.toString()),
                err.toString());
    }
}
