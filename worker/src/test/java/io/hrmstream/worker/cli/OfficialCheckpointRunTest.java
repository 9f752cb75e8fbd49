package io.hrmstream.worker.cli;

import io.hrmstream.puzzles.data.SudokuGenerator;
import io.hrmstream.puzzles.data.SudokuPuzzle;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.worker.checkpoint.OfficialCheckpointFolder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** {@code run --embedded --model DIR} serves an official checkpoint folder made from the shipped sudoku weights. */
@Tag("slow")   // a child JVM with brokers: the slow lane
class OfficialCheckpointRunTest {

    private static final Pattern READY =
            Pattern.compile("ready: .* at (\\S+), schema registry (\\S+) \\(.*metrics on port (\\d+)");

    @Test
    void runEmbeddedServesAnOfficialFolderAndSolvesAnEasySudoku(@TempDir Path dir) throws Exception {
        Path official = OfficialCheckpointFolder.fromShippedSudoku(dir.resolve("hrm-sudoku-official"));
        // 74-78 givens: the shipped model solves all of its card's 248 such puzzles
        SudokuPuzzle puzzle = new SudokuGenerator(74, 78, 20261206).next();
        final String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final Path stderr = dir.resolve("stderr.txt");
        final Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlog4j2.configurationFile=log4j2.xml",
                "-cp", classpath, WorkerCli.class.getName(), "run", "--embedded", "--model", official.toString(),
                "--kafka-port", "0", "--controller-port", "0", "--registry-port", "0", "--partitions", "1",
                "--data-dir", dir.resolve("data").toString(), "--threads", "1", "--batch", "4", "--metrics-port", "0")
                .redirectError(stderr.toFile())
                .start();
        final List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            Matcher ready = null;
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
                final Matcher m = READY.matcher(line);
                if (m.find()) {
                    ready = m;
                    break;
                }
            }
            assertNotNull(ready, lines + "\n" + Files.readString(stderr));

            final PuzzleSolution answer = RunCommandTest.roundTrip(ready.group(1), ready.group(2), puzzle.puzzleGrid());
            assertEquals(SolveStatus.SOLVED, answer.getStatus(), answer.toString());
            assertTrue(answer.getModel().matches("hrm-sudoku-official@[0-9a-f]{8}"),
                    "solutions carry the folder's name and its weights' digest: " + answer.getModel());
            assertEquals(puzzle.solutionGrid().getCells(), answer.getSolution().getCells(), "the unique solution");

            process.toHandle().destroy(); // SIGTERM
            assertEquals(true, process.waitFor(90, TimeUnit.SECONDS), "run did not stop within 90 s");
        } finally {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), "a SIGTERM is a requested, clean stop");
    }
}
