package io.hrmstream.tools.cli;

import io.hrmstream.puzzles.SudokuTask;
import io.hrmstream.schemas.ProjectVersion;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.tools.HrmTools;
import io.hrmstream.tools.input.HrmCsvSource;
import io.hrmstream.tools.input.InputFile;
import io.hrmstream.tools.input.Preflight;
import io.hrmstream.tools.input.Puzzle;
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
import java.util.List;

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
    @ValueSource(strings = {"generate", "publish", "collect", "bench", "tail", "dlq"})
    void everySubcommandHasHelp(String command) {
        assertEquals(0, run(command, "--help"));
        assertTrue(out.toString().contains("Usage: hrm-tools " + command), out.toString());
        assertTrue(out.toString().contains(command.equals("generate") ? "--givens" : "--bootstrap-servers"),
                out.toString());
    }

    @Test
    void generateWritesTheHrmCsvLayoutThatPublishReadsBack() throws IOException {
        Path csv = dir.resolve("sudoku.csv");
        assertEquals(0, run("generate", "--givens", "40-45", "-n", "3", "--seed", "7", "-o", csv.toString()));
        List<String> lines = Files.readAllLines(csv);
        assertEquals("source,q,a,rating", lines.get(0));
        assertEquals(4, lines.size());
        assertTrue(lines.get(1).startsWith("hrm-tools generate sudoku givens=40-45 seed=7,"), lines.get(1));

        List<Puzzle> puzzles = Preflight.load(new HrmCsvSource(InputFile.of(csv.toString()), "sudoku", 0), -1, true);
        assertEquals(3, puzzles.size());
        assertEquals(SolveStatus.SOLVED, new SudokuTask().verify(puzzles.get(0).question().toAvro(),
                puzzles.get(0).answer().toAvro()));
    }

    @Test
    void generateWithTheSameSeedWritesTheSameMazesToStdout() {
        assertEquals(0, run("generate", "--task", "maze", "--size", "7", "-n", "2", "--seed", "3"));
        String first = out.toString();
        out.getBuffer().setLength(0);
        assertEquals(0, run("generate", "--task", "maze", "--size", "7", "-n", "2", "--seed", "3"));
        assertEquals(first, out.toString());
        assertEquals(3, first.lines().count());
        assertTrue(first.lines().skip(1).allMatch(line -> line.contains("o")), first);
    }

    @Test
    void generateWithoutASeedPrintsTheSeedItDrew() {
        assertEquals(0, run("generate", "-n", "1"));
        assertTrue(err.toString().matches("(?s)seed -?\\d+\\R"), err.toString());
    }

    @Test
    void versionIsTheProjectVersionTheWorkerPrintsToo() {
        assertEquals(0, run("--version"));
        assertEquals("hrm-tools " + ProjectVersion.get(), out.toString().strip());
        assertTrue(ProjectVersion.get().matches("\\d+\\.\\d+\\.\\d+.*"), "filtered at build time: " + ProjectVersion.get());
    }

    @Test
    void bootstrapIsAcceptedAsInTheWorker() {
        assertEquals(2, run("publish", "--bootstrap"), "a value is required");
        assertTrue(err.toString().contains("Missing required parameter for option '--bootstrap-servers'"),
                err.toString());
    }

    @Test
    void generatedSudokuByDefaultLieInTheShippedModelsDomainOf57To78Givens() throws IOException {
        Path csv = dir.resolve("default.csv");
        assertEquals(0, run("generate", "-n", "20", "--seed", "5", "-o", csv.toString()));
        for (String line : Files.readAllLines(csv).subList(1, 21)) {
            String q = line.split(",")[1];
            long givens = q.chars().filter(c -> c >= '1' && c <= '9').count();
            assertTrue(givens >= 57 && givens <= 78, givens + " givens: " + line);
        }
    }

    @Test
    void anImpossibleGivensRangeIsRefusedWithTheGeneratorsReason() {
        assertEquals(1, run("generate", "--givens", "10-20", "-n", "1", "--seed", "1"));
        assertTrue(err.toString().contains("givens range must lie in [17, 81]"), err.toString());
    }

    @Test
    void aBadLineStopsPublishBeforeAnythingIsSentAndNamesTheLine() throws IOException {
        Path file = dir.resolve("puzzles.txt");
        Files.writeString(file, PUZZLE + "\n" + PUZZLE.substring(3) + "\n");
        assertEquals(1, run("publish", "--input", file.toString(), "--bootstrap-servers", "127.0.0.1:1"));
        assertEquals("hrm-tools publish: " + file + ":2: a sudoku has 81 characters, got 78",
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

    @Test
    void dlqReplayNeedsExactlyOneChoiceAndAChoiceNeedsReplay() {
        assertEquals(2, run("dlq", "--replay"));
        assertTrue(err.toString().contains("--replay needs either --offsets P@O[,P@O...] or --all"), err.toString());
        assertEquals(2, run("dlq", "--replay", "--all", "--offsets", "0@1"));
        assertEquals(2, run("dlq", "--all"));
        assertTrue(err.toString().contains("--offsets and --all choose records for --replay"), err.toString());
    }

    @Test
    void aMalformedOffsetIsAUsageErrorNamingIt() {
        assertEquals(2, run("dlq", "--replay", "--offsets", "0@1,x@2"));
        assertTrue(err.toString().contains("'x@2' is not PARTITION@OFFSET"), err.toString());
    }

    @Test
    void tailRefusesAnUnknownFormatAndANonPositiveMax() {
        assertEquals(2, run("tail", "--format", "xml"));
        assertTrue(err.toString().contains("xml"), err.toString());
        assertEquals(2, run("tail", "--max", "0"));
        assertTrue(err.toString().contains("--max must be at least 1"), err.toString());
    }
}
