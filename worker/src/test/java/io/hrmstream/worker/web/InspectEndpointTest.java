package io.hrmstream.worker.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.puzzles.SudokuTask;
import io.hrmstream.schemas.Grid;
import io.hrmstream.worker.engine.BatchingMode;
import io.hrmstream.worker.engine.ContinuousBatchingEngine;
import io.hrmstream.worker.engine.EngineConfig;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.ModelDescriptor;
import io.hrmstream.worker.engine.ScriptedSlotBatch;
import io.hrmstream.worker.model.HaltRule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/inspect} against a real engine on a scripted slot batch: a sudoku whose first cell is {@code d}
 * halts at step {@code d + 1} (its first token), and each step's prediction moves every token on by one.
 */
class InspectEndpointTest {

    private static final int HALT_MAX_STEPS = 8;
    private static final ModelDescriptor SUDOKU = ScriptedSlotBatch.descriptor(SudokuTask.SEQ_LEN,
            SudokuTask.VOCAB_SIZE, HALT_MAX_STEPS, HaltRule.Q_HALT_ABOVE_Q_CONTINUE);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (final AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void answersEveryActStepOfThePuzzleAsAGridWithItsQLogits() throws Exception {
        final ConsoleServer console = console(EngineRoster.of(engine(new ScriptedSlotBatch(SUDOKU, 2))),
                Duration.ofSeconds(10));
        final int[] givens = sudoku(2);

        final HttpResponse<String> response = post(console, puzzle("sudoku", 9, 9, givens));

        assertEquals(200, response.statusCode(), response.body());
        final JsonNode inspection = json.readTree(response.body());
        assertEquals("sudoku", inspection.get("task").asText());
        assertEquals("scripted", inspection.get("model").asText());
        assertEquals(Arrays.toString(givens), inspection.get("givens").toString().replace(",", ", "));
        assertEquals("Q_HALT", inspection.get("haltedBy").asText());
        assertEquals(HALT_MAX_STEPS, inspection.get("maxSteps").asInt());
        final JsonNode steps = inspection.get("steps");
        assertEquals(3, steps.size(), "the first cell is 2: q_halt turns positive at step 3");
        final SudokuTask task = new SudokuTask();
        final Grid input = new Grid(9, 9, ByteBuffer.wrap(bytes(givens)));
        for (int k = 1; k <= 3; k++) {
            final JsonNode step = steps.get(k - 1);
            assertEquals(k, step.get("step").asInt());
            final int[] prediction = ScriptedSlotBatch.predictionAfter(task.encode(input), k, SUDOKU.vocabSize());
            final Grid answer = task.decode(prediction, input);
            assertArrayEquals(RecentSolutions.unsigned(answer.getCells()), ints(step.get("cells")),
                    "step " + k + " is the grid its argmax decodes to");
            assertEquals(task.verify(input, answer).name(), step.get("status").asText());
            assertEquals(k < 3 ? ScriptedSlotBatch.Q_HALT_WHEN_CONTINUING : ScriptedSlotBatch.Q_HALT_WHEN_HALTING,
                    step.get("qHalt").floatValue());
            assertEquals(0f, step.get("qContinue").floatValue());
            assertEquals(k == 3, step.get("halted").asBoolean());
        }
        assertEquals(steps.get(2).get("status").asText(), inspection.get("status").asText(),
                "the answer is the last step's");
    }

    @Test
    void aPuzzleTheWorkerWouldRejectIsAnswered400WithTheReason() throws Exception {
        final ConsoleServer console = console(EngineRoster.of(engine(new ScriptedSlotBatch(SUDOKU, 1))),
                Duration.ofSeconds(10));
        final int[] twice = sudoku(5);
        twice[1] = 5;

        assertRefused(post(console, puzzle("sudoku", 9, 9, twice)), 400, "given 5 appears twice in row 0");
        assertRefused(post(console, puzzle("sudoku", 3, 3, new int[9])), 400, "sudoku needs a 9x9 grid");
        assertRefused(post(console, puzzle("sudoku", 9, 9, new int[80])), 400, "grid has 80 cells");
        assertRefused(post(console, puzzle("chess", 9, 9, sudoku(1))), 400, "unknown task 'chess'");
        assertRefused(post(console, puzzle("maze", 9, 9, sudoku(1))), 400, "maze inputs hold '#' wall");
        assertRefused(post(console, puzzle("maze", 1, 3, new int[] {'S', ' ', 'G'})), 400,
                "no model for maze puzzles");
        assertRefused(post(console, puzzle("sudoku", 9, 9, new int[] {300})), 400, "cells are bytes");
        assertRefused(post(console, "{\"task\": \"sudoku\", \"rows\": "), 400, "not a puzzle");
        assertRefused(post(console, "{\"task\": \"sudoku\", \"colour\": 1}"), 400, "not a puzzle");
        assertRefused(post(console, "null"), 400, "not a puzzle");
    }

    @Test
    void onlyJsonIsTakenSoAnotherSitesFormOrPlainTextPostCannotSpendTheEnginesSlots() throws Exception {
        final ConsoleServer console = console(EngineRoster.of(engine(new ScriptedSlotBatch(SUDOKU, 1))),
                Duration.ofSeconds(10));
        for (final String contentType : new String[] {"text/plain", "application/x-www-form-urlencoded"}) {
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(console, "/api/inspect"))
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(puzzle("sudoku", 9, 9, sudoku(2)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertRefused(response, 415, "application/json");
        }
        assertEquals(200, post(console, puzzle("sudoku", 9, 9, sudoku(2))).statusCode(), "the same puzzle as JSON");
    }

    @Test
    void withoutAModelEveryPuzzleIsRefusedAndOnlyAPostIsTakenAtAll() throws Exception {
        final ConsoleServer console = console(EngineRoster.none(), Duration.ofSeconds(10));

        assertRefused(post(console, puzzle("sudoku", 9, 9, sudoku(1))), 400, "no model configured");
        final HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri(console, "/api/inspect")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void theHttpThreadNeverWaitsOnTheEngineAndAPuzzleThatDoesNotHaltInTimeIsCancelled() throws Exception {
        final Semaphore stepPermits = new Semaphore(0);
        final ScriptedSlotBatch batch = new ScriptedSlotBatch(SUDOKU, 1, stepPermits);
        final ContinuousBatchingEngine engine = engine(batch);
        // the timeout outlasts the /api/summary round trip below on a busy machine
        final ConsoleServer console = console(EngineRoster.of(engine), Duration.ofSeconds(3));

        final CompletableFuture<HttpResponse<String>> inspecting = http.sendAsync(
                inspectRequest(console, puzzle("sudoku", 9, 9, sudoku(7))),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(batch.stepsEntered.tryAcquire(10, TimeUnit.SECONDS), "the engine is inside the puzzle's step");

        final HttpResponse<String> summary = http.send(HttpRequest.newBuilder(uri(console, "/api/summary")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, summary.statusCode(), "the console's one HTTP thread answers while the engine runs");
        assertFalse(inspecting.isDone());

        assertRefused(inspecting.get(10, TimeUnit.SECONDS), 504, "did not halt within");
        stepPermits.release(HALT_MAX_STEPS);   // it would halt at its eighth step, were it not cancelled
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (engine.pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);   // polls the engine; the deadline bounds it
        }
        assertEquals(0, engine.pending(), "the timed-out puzzle left the engine");
        assertEquals(1, engine.stats().cancelled());
    }

    @Test
    void aPageMayRunOnlyAFewInspectionsAtOnceSoTheStreamKeepsItsSlots() throws Exception {
        final Semaphore stepPermits = new Semaphore(0);
        final ContinuousBatchingEngine engine = engine(new ScriptedSlotBatch(SUDOKU, 8, stepPermits));
        final ConsoleServer console = console(EngineRoster.of(engine), Duration.ofSeconds(10));
        final List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
        for (int i = 0; i < Inspector.MAX_IN_FLIGHT; i++) {
            running.add(http.sendAsync(inspectRequest(console, puzzle("sudoku", 9, 9, sudoku(1))),
                    HttpResponse.BodyHandlers.ofString()));
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (engine.pending() < Inspector.MAX_IN_FLIGHT && System.nanoTime() < deadline) {
            Thread.sleep(10);   // polls until every inspection is in the engine (held there by its steps)
        }
        assertEquals(Inspector.MAX_IN_FLIGHT, engine.pending());

        assertRefused(post(console, puzzle("sudoku", 9, 9, sudoku(1))), 429, "inspections are running");

        stepPermits.release(100);
        for (final CompletableFuture<HttpResponse<String>> inspection : running) {
            assertEquals(200, inspection.get(10, TimeUnit.SECONDS).statusCode());
        }
        assertEquals(200, post(console, puzzle("sudoku", 9, 9, sudoku(1))).statusCode(), "room again");
    }

    private ContinuousBatchingEngine engine(final ScriptedSlotBatch batch) {
        final ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(batch,
                new EngineConfig(BatchingMode.ACT, Duration.ZERO));
        toClose.add(engine);
        return engine;
    }

    private ConsoleServer console(final EngineRoster engines, final Duration timeout) throws Exception {
        final ConsoleServer console = ConsoleServer.start("127.0.0.1", 0, new RecentSolutions(),
                new SimpleMeterRegistry(), engines, timeout);
        toClose.add(0, console);   // closed before the engines it submits to
        return console;
    }

    /** A blank sudoku but for its first cell, {@code first}. */
    private static int[] sudoku(final int first) {
        final int[] cells = new int[SudokuTask.SEQ_LEN];
        cells[0] = first;
        return cells;
    }

    private String puzzle(final String task, final int rows, final int cols, final int[] cells) throws Exception {
        return json.writeValueAsString(Map.of("task", task, "rows", rows, "cols", cols, "cells", cells));
    }

    private HttpResponse<String> post(final ConsoleServer console, final String body) throws Exception {
        return http.send(inspectRequest(console, body), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST of JSON to /api/inspect, as the page sends it. */
    private static HttpRequest inspectRequest(final ConsoleServer console, final String body) {
        return HttpRequest.newBuilder(uri(console, "/api/inspect")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static URI uri(final ConsoleServer console, final String path) {
        return URI.create("http://127.0.0.1:" + console.port() + path);
    }

    private void assertRefused(final HttpResponse<String> response, final int status, final String reason)
            throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        final String error = json.readTree(response.body()).get("error").asText();
        assertTrue(error.contains(reason), "'" + error + "' says " + reason);
    }

    private static int[] ints(final JsonNode array) {
        final int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static byte[] bytes(final int[] cells) {
        final byte[] out = new byte[cells.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) cells[i];
        }
        return out;
    }
}
