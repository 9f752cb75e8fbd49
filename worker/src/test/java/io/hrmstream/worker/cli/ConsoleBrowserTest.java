package io.hrmstream.worker.cli;

import io.hrmstream.puzzles.data.SudokuGenerator;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.worker.testing.WorkerCliProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console in a real browser: headless Chromium loads the page of {@code run --embedded --console}, runs its
 * script, and the DOM then shows the solved puzzles; a screenshot is kept in {@code target/console.png}. Skipped
 * where no {@code chromium} is on the PATH.
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

            // --virtual-time-budget: the page's first polls run before the DOM is dumped
            final String dom = runChromium(chromium.get(), dir, "--dump-dom", url);
            assertTrue(dom.contains("class=\"puzzle SOLVED"), "a solved puzzle's card in the DOM: " + dom);
            assertTrue(dom.contains("data-id=\"cli-1\""), dom);
            assertTrue(dom.contains("class=\"cell given"), "the request's givens drawn apart from the answer: " + dom);
            assertTrue(dom.matches("(?s).*\\d+/\\d+ steps, halted by (Q_HALT|MAX_STEPS), confidence.*"), dom);
            assertTrue(dom.matches("(?s).*sudoku: \\d+/\\d+ slots.*"), "the engine's occupancy: " + dom);

            Files.createDirectories(SCREENSHOT.getParent());
            Files.deleteIfExists(SCREENSHOT);
            runChromium(chromium.get(), dir, "--screenshot=" + SCREENSHOT.toAbsolutePath(), url);
            assertTrue(Files.size(SCREENSHOT) > 10_000, "a screenshot of the page");
            worker.terminate();
        }
    }

    private static String runChromium(final Path chromium, final Path dir, final String... args) throws Exception {
        final List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                // offline machine: no update checks, no component downloads
                "--disable-background-networking", "--disable-gpu", "--window-size=1200,900",
                "--virtual-time-budget=5000", "--user-data-dir=" + dir.resolve("chromium-profile")));
        command.addAll(Arrays.asList(args));
        final Path log = dir.resolve("chromium.log");
        final Process browser = new ProcessBuilder(command).redirectError(log.toFile()).start();
        final String stdout = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(browser.waitFor(60, TimeUnit.SECONDS), "chromium did not finish within 60 s");
        assertEquals(0, browser.exitValue(), Files.readString(log));
        return stdout;
    }

    private static Optional<Path> onPath(final String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(folder -> Path.of(folder, program)).filter(Files::isExecutable).findFirst();
    }
}
