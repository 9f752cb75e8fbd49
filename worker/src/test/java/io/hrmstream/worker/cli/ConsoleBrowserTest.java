package io.hrmstream.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hrmstream.puzzles.Grids;
import io.hrmstream.puzzles.data.SudokuGenerator;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.worker.testing.WorkerCliProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console in a real browser: headless Chromium, driven over the DevTools protocol ({@link DevTools}), loads the
 * page of {@code run --embedded --console}; the DOM shows the solved puzzles, and the inspector, opened from a solved
 * puzzle's card, is clicked through every ACT step. A screenshot is kept in {@code target/console.png}. Skipped where
 * no {@code chromium} is on the PATH.
 */
@Tag("slow")   // a child JVM with a broker, and a browser
class ConsoleBrowserTest {

    private static final Pattern READY = Pattern.compile("ready: .* at (\\S+), schema registry (\\S+) \\(");
    private static final Pattern CONSOLE = Pattern.compile("console at (http://\\S+)");
    private static final Path SCREENSHOT = Path.of("target", "console.png");

    @Test
    void thePageShowsTheSolvedPuzzlesOfARunningWorker(@TempDir Path dir) throws Exception {
        final Optional<Path> chromium = onPath("chromium");
        assumeTrue(chromium.isPresent(), "no chromium on the PATH");
        try (WorkerCliProcess worker = WorkerCliProcess.start(dir, "run", List.of(), "run", "--embedded",
                "--kafka-port", "0", "--controller-port", "0", "--registry-port", "0", "--partitions", "1",
                "--data-dir", dir.resolve("data").toString(), "--threads", "1", "--batch", "8",
                "--metrics-port", "0", "--console", "--console-port", "0")) {
            final Matcher ready = worker.awaitLine(READY, Duration.ofSeconds(120));
            // the console's line follows the ready line
            final Matcher console = worker.awaitLine(CONSOLE, Duration.ofSeconds(10));
            final List<String> solved = new ArrayList<>();
            // puzzles from the shipped model's domain (57-78 givens), so solved ones are what the page shows
            final SudokuGenerator easy = new SudokuGenerator(70, 78, 20261203L);
            for (int i = 0; i < 2; i++) {
                final PuzzleSolution answer = RunCommandTest.roundTrip(ready.group(1), ready.group(2),
                        easy.next().puzzleGrid());
                solved.add(answer.getStatus().name());
            }
            assertTrue(solved.contains("SOLVED"), "the shipped model solves puzzles of its domain: " + solved);
            final String url = console.group(1);

            try (DevTools page = DevTools.start(chromium.get(), dir, 1200, 1300)) {
                page.navigate(url);
                page.await("document.querySelector('.puzzle.SOLVED button.inspect')", Duration.ofSeconds(30));
                final String dom = page.evaluate("document.documentElement.outerHTML").asText();
                assertTrue(dom.contains("data-id=\"cli-1\""), dom);
                assertTrue(dom.contains("class=\"cell given"), "the request's givens drawn apart from the answer: "
                        + dom);
                assertTrue(dom.matches("(?s).*\\d+/\\d+ steps, halted by (Q_HALT|MAX_STEPS), confidence.*"), dom);
                assertTrue(dom.matches("(?s).*sudoku: \\d+/\\d+ slots.*"), "the engine's occupancy: " + dom);

                // the inspector: a solved puzzle's card runs it again on the engine, traced
                page.evaluate("document.querySelector('.puzzle.SOLVED button.inspect').click()");
                page.await("!document.getElementById('inspect-view').hidden", Duration.ofSeconds(30));
                final JsonNode again = page.evaluate("inspection");
                assertEquals("SOLVED", again.get("status").asText(), "the same puzzle, the same answer");
                final JsonNode lastAgain = again.get("steps").get(again.get("steps").size() - 1);
                assertEquals("SOLVED", lastAgain.get("status").asText(), "the answer is the last step's");

                // a pasted puzzle, harder (the fewest givens of the model's domain): more steps to click through
                final String pasted = text(new SudokuGenerator(57, 58, 20261204L).next().puzzleGrid());
                page.evaluate("document.getElementById('inspect-text').value = '" + pasted + "'");
                page.evaluate("document.getElementById('inspect-run').click()");
                page.await("inspection.id !== '" + again.get("id").asText() + "'", Duration.ofSeconds(30));
                final JsonNode inspection = page.evaluate("inspection");
                final JsonNode steps = inspection.get("steps");
                assertEquals(pasted, text(inspection.get("givens")), "the pasted puzzle, read cell by cell");
                assertTrue(steps.size() >= 2, "an ACT model thinks more than one step about a sudoku: " + steps.size());
                final int last = steps.size();
                for (int k = 1; k <= last; k++) {
                    assertEquals("step " + k + " of " + last, page.evaluate(
                            "document.getElementById('step-label').textContent").asText());
                    assertEquals(shown(steps.get(k - 1).get("cells")), page.evaluate(
                            "[...document.querySelectorAll('#inspect-grid .cell')].map(c => c.textContent).join('')")
                            .asText(), "the grid shows step " + k + "'s prediction");
                    assertEquals(changedSince(steps, k), page.evaluate(
                            "document.querySelectorAll('#inspect-grid .cell.changed').length").asInt(),
                            "step " + k + " marks the cells that moved since the step before");
                    assertEquals(k == last, page.evaluate("document.getElementById('step-next').disabled")
                            .asBoolean());
                    if (k < last) {
                        page.evaluate("document.getElementById('step-next').click()");
                    }
                }
                page.evaluate("document.getElementById('step-prev').click()");
                assertEquals("step " + (last - 1) + " of " + last, page.evaluate(
                        "document.getElementById('step-label').textContent").asText(), "prev goes back a step");
                assertTrue(page.evaluate("document.getElementById('step-q').textContent").asText()
                        .startsWith("q_halt "), "the step's q logits are shown");

                // the slider: to the step where most cells moved (the screenshot's step)
                int busiest = 1;
                for (int k = 2; k <= last; k++) {
                    if (changedSince(steps, k) > changedSince(steps, busiest)) {
                        busiest = k;
                    }
                }
                page.evaluate("(() => { const slider = document.getElementById('step-slider'); slider.value = "
                        + busiest + "; slider.dispatchEvent(new Event('input')); })()");
                assertEquals("step " + busiest + " of " + last, page.evaluate(
                        "document.getElementById('step-label').textContent").asText(), "the slider picks a step");

                Files.createDirectories(SCREENSHOT.getParent());
                Files.deleteIfExists(SCREENSHOT);
                page.screenshot(SCREENSHOT.toAbsolutePath());
                assertTrue(Files.size(SCREENSHOT) > 10_000, "a screenshot of the page");
            }
            worker.terminate();
        }
    }

    /** A sudoku as the inspector's paste box takes it: 81 digits, 0 blank. */
    private static String text(final Grid grid) {
        final StringBuilder out = new StringBuilder();
        for (final byte cell : Grids.cells(grid)) {
            out.append(cell);
        }
        return out.toString();
    }

    private static String text(final JsonNode cells) {
        final StringBuilder out = new StringBuilder();
        for (final JsonNode cell : cells) {
            out.append(cell.asInt());
        }
        return out.toString();
    }

    /** A sudoku step's cells as the page writes them: digits, blanks empty. */
    private static String shown(final JsonNode cells) {
        final StringBuilder out = new StringBuilder();
        for (final JsonNode cell : cells) {
            out.append(cell.asInt() == 0 ? "" : cell.asText());
        }
        return out.toString();
    }

    /** Cells of step {@code k} (1-based) that differ from step k - 1; none at the first step. */
    private static int changedSince(final JsonNode steps, final int k) {
        if (k == 1) {
            return 0;
        }
        int changed = 0;
        final JsonNode now = steps.get(k - 1).get("cells");
        final JsonNode before = steps.get(k - 2).get("cells");
        for (int i = 0; i < now.size(); i++) {
            if (now.get(i).asInt() != before.get(i).asInt()) {
                changed++;
            }
        }
        return changed;
    }

    private static Optional<Path> onPath(final String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(folder -> Path.of(folder, program)).filter(Files::isExecutable).findFirst();
    }
}
