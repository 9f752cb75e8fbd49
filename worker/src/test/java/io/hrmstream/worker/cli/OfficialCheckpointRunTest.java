package io.hrmstream.worker.cli;

import io.hrmstream.puzzles.data.SudokuGenerator;
import io.hrmstream.puzzles.data.SudokuPuzzle;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.worker.checkpoint.OfficialCheckpointFolder;
import io.hrmstream.worker.testing.WorkerCliProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        try (WorkerCliProcess process = WorkerCliProcess.start(dir, "run", List.of(), "run", "--embedded",
                "--model", official.toString(),
                "--kafka-port", "0", "--controller-port", "0", "--registry-port", "0", "--partitions", "1",
                "--data-dir", dir.resolve("data").toString(), "--threads", "1", "--batch", "4", "--metrics-port", "0")) {
            final Matcher ready = process.awaitLine(READY, Duration.ofSeconds(120));

            final PuzzleSolution answer = RunCommandTest.roundTrip(ready.group(1), ready.group(2), puzzle.puzzleGrid());
            assertEquals(SolveStatus.SOLVED, answer.getStatus(), answer.toString());
            assertTrue(answer.getModel().matches("hrm-sudoku-official@[0-9a-f]{8}"),
                    "solutions carry the folder's name and its weights' digest: " + answer.getModel());
            assertEquals(puzzle.solutionGrid().getCells(), answer.getSolution().getCells(), "the unique solution");

            assertEquals(0, process.terminate(), "a SIGTERM is a requested, clean stop");
        }
    }
}
