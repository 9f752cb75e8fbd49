package io.hrmstream.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hrmstream.worker.checkpoint.ModelWriter;
import io.hrmstream.worker.checkpoint.OfficialCheckpointFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code eval} and {@code bench} take an official checkpoint folder (torch.save {@code checkpoint} +
 * {@code all_config.yaml} without seq_len, bf16 H_init/L_init), made here from the shipped sudoku weights, and score
 * it as the shipped model scores: the same puzzles, the same exact accuracy. {@code run --embedded} on it is in
 * {@link OfficialCheckpointRunTest} (slow lane).
 */
class OfficialCheckpointCliTest {

    private static final int PUZZLES = 24;

    @Test
    void evalScoresTheOfficialFolderAsTheShippedModel(@TempDir Path dir) throws Exception {
        Path official = OfficialCheckpointFolder.fromShippedSudoku(dir.resolve("hrm-sudoku-official"));
        Path data = dir.resolve("held-out.csv");
        assertEquals(0, execute("eval", "--generate", String.valueOf(PUZZLES), "--givens", "50-78",
                "--seed", "20261204", "--data", data.toString()).exit);

        // at the steps both were trained with, and with the q head's own halting: an official folder records no
        // serve_max_steps and no serve_halting, so the shipped folder is compared without its serve_halting
        final String trainedSteps = String.valueOf(OfficialCheckpointFolder.shippedConfig().get("halt_max_steps"));
        Path shipped = withoutServeHalting(shippedModelDir(), dir.resolve("hrm-sudoku"));
        Run fromFolder = execute("eval", "--model", official.toString(), "--data", data.toString(),
                "--task", "sudoku", "--modes", "act,fixed", "--batch", "8", "--max-steps", trainedSteps);
        Run fromShipped = execute("eval", "--model", shipped.toString(), "--data", data.toString(),
                "--task", "sudoku", "--modes", "act,fixed", "--batch", "8", "--max-steps", trainedSteps);
        assertEquals(0, fromFolder.exit, fromFolder.out);
        assertEquals(0, fromShipped.exit, fromShipped.out);
        assertTrue(fromFolder.out.contains("(" + PUZZLES + " puzzles)"), fromFolder.out);
        for (String row : List.of("exact accuracy", "per-cell accuracy")) {
            assertEquals(line(fromShipped.out, row), line(fromFolder.out, row), row + ", act and fixed");
        }
    }

    @Test
    void benchRunsTheOfficialFolderWithTheShippedModelsAccuracy(@TempDir Path dir) throws Exception {
        Path official = OfficialCheckpointFolder.fromShippedSudoku(dir.resolve("hrm-sudoku-official"));
        Path data = dir.resolve("bench.csv");
        assertEquals(0, execute("eval", "--generate", "16", "--givens", "60-78",
                "--seed", "20261205", "--data", data.toString()).exit);
        String[] flags = {"--data", data.toString(), "--task", "sudoku", "--puzzles", "16", "--batch", "8",
                "--modes", "act,fixed"};
        Run fromFolder = execute(concat(new String[] {"bench", "--model", official.toString()}, flags));
        Run fromShipped = execute(concat(new String[] {"bench", "--model", shippedModelDir().toString()}, flags));
        assertEquals(0, fromFolder.exit, fromFolder.out);
        assertEquals(0, fromShipped.exit, fromShipped.out);
        assertTrue(fromFolder.out.contains("hrm_act_v1 hidden 128") && fromFolder.out.contains("seq 81 (+0 prefix)"),
                fromFolder.out);
        for (String mode : List.of("act", "fixed")) {
            assertEquals(exactColumn(fromShipped.out, mode), exactColumn(fromFolder.out, mode), mode + " exact");
        }
    }

    private record Run(int exit, String out) {
    }

    /** Runs the CLI in this JVM; eval and bench print their reports on System.out, captured here. */
    private static Run execute(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            int exit = new CommandLine(new WorkerCli()).execute(args);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    /** The folder the shipped model's resources were built into: config.json + weights.safetensors. */
    /** A copy of the model folder {@code from} whose config.json names no serve_halting. */
    private static Path withoutServeHalting(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        Files.copy(from.resolve("weights.safetensors"), to.resolve("weights.safetensors"));
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(from.resolve("config.json").toFile());
        config.remove(ModelWriter.SERVE_HALTING_FIELD);
        new ObjectMapper().writeValue(to.resolve("config.json").toFile(), config);
        return to;
    }

    private static Path shippedModelDir() throws Exception {
        var url = OfficialCheckpointCliTest.class.getResource(OfficialCheckpointFolder.SHIPPED_SUDOKU);
        assertNotNull(url);
        return Path.of(url.toURI());
    }

    /** The report line starting with {@code label}. */
    private static String line(String report, String label) {
        return report.lines().filter(l -> l.startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + label + "' line in\n" + report));
    }

    /** The exact column (the 10th) of bench's Markdown row for {@code mode}. */
    private static String exactColumn(String report, String mode) {
        String row = line(report, "| " + mode + " |");
        return row.split("\\|")[10].trim();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
