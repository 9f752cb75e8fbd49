package io.hrmstream.worker.stream;

import io.hrmstream.schemas.DeadLetterHeaderNames;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.worker.engine.EngineRoster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU_MODEL;
import static io.hrmstream.worker.stream.TopologyFixture.sudoku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No input may stop the worker: a request past a limit is REJECTED with the reason, and its answer echoes nothing
 * oversized, so the answer (and the in-flight store's changelog) always fits a Kafka record. These are the records
 * that once crashed the worker in every restart.
 */
class RequestLimitsTest {

    @RegisterExtension
    static final TestRegistry registry = new TestRegistry();

    @TempDir
    Path stateDir;

    private static final String HUGE = "x".repeat(600_000);

    @Test
    void aTaskNameOf600KilobytesIsRejectedAndNotEchoed() {
        final PuzzleSolution s = answerTo(sudoku("r1").setTask(HUGE).build());
        assertEquals(SolveStatus.REJECTED, s.getStatus());
        assertEquals("task is 600000 characters, more than 64", s.getError());
        assertTrue(s.getTask().length() <= RequestLimits.MAX_TASK_CHARS, "task cut to the limit");
    }

    @Test
    void anIdOf600KilobytesIsRejectedWithTheIdCutToTheLimitAndNothingStored() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(sudoku(HUGE).build());
            final var record = worker.solutions.readRecord();
            assertEquals(SolveStatus.REJECTED, record.value().getStatus());
            assertEquals("id is 600000 characters, more than 256", record.value().getError());
            assertEquals(RequestLimits.MAX_ID_CHARS, record.key().length(), "the answer's key is the id, cut");
            assertEquals(record.key(), record.value().getRequestId());
            assertEquals(0, worker.inFlightCount(), "an oversized id never reaches the changelogged store");
            assertTrue(engine.submitted().isEmpty());
        }
    }

    @Test
    void attributesPastTheLimitsAreRejectedAndNotEchoed() {
        final Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= RequestLimits.MAX_ATTRIBUTES; i++) many.put("k" + i, "v");
        PuzzleSolution s = answerTo(sudoku("r1").setAttributes(many).build());
        assertEquals("attributes has 65 entries, more than 64", s.getError());
        assertTrue(s.getAttributes().isEmpty());

        s = answerTo(sudoku("r2").setAttributes(Map.of("big", HUGE)).build());
        assertEquals("attribute 'big' is 600000 characters, more than 4096", s.getError());
        assertTrue(s.getAttributes().isEmpty());

        s = answerTo(sudoku("r3").setAttributes(Map.of(HUGE, "v")).build());
        assertTrue(s.getError().startsWith("attribute key 'xxx"), s.getError());
        assertTrue(s.getError().length() < 200, "the key is quoted cut: " + s.getError().length());
    }

    @Test
    void anUndecodableValueTooLargeForADeadLetterIsCutWithAHeaderSayingSo() {
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir,
                EngineRoster.of(ScriptedEngine.holding(SUDOKU_MODEL)))) {
            final byte[] garbage = new byte[1_048_500];
            java.util.Arrays.fill(garbage, (byte) 0x7f);
            worker.requests.pipeInput("big".getBytes(), garbage);
            final var letter = worker.deadLetters.readRecord();
            assertEquals(DeadLetterHeaders.KEPT_BYTES, letter.value().length);
            assertEquals("1048500", new String(letter.headers().lastHeader(DeadLetterHeaderNames.TRUNCATED).value()));

            final byte[] small = new byte[1000];
            worker.requests.pipeInput("small".getBytes(), small);
            final var kept = worker.deadLetters.readRecord();
            assertEquals(1000, kept.value().length, "a dead letter that fits is kept as it came");
            assertEquals(null, kept.headers().lastHeader(DeadLetterHeaderNames.TRUNCATED));
        }
    }

    @Test
    void aSubmissionTimeInTheFutureOrAbsurdlyOldGivesNoLatencyAndTheRequestIsStillAnswered() {
        for (final java.time.Instant submitted : java.util.List.of(TopologyFixture.START.plusSeconds(3600),
                java.time.Instant.ofEpochMilli(Long.MIN_VALUE), java.time.Instant.ofEpochMilli(Long.MAX_VALUE),
                java.time.Instant.EPOCH)) {
            final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
            try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
                worker.publish(sudoku("r1").setSamples(1).setSubmittedAtMs(submitted).build());
                engine.complete(TopologyFixture.result("r1", TopologyFixture.grid(9, 9, TopologyFixture.SOLUTION), 2,
                        io.hrmstream.schemas.HaltReason.Q_HALT));
                worker.advance(TopologyFixture.FORWARD_INTERVAL);
                final PuzzleSolution s = worker.solutions.readValue();
                assertEquals(SolveStatus.SOLVED, s.getStatus(), submitted.toString());
                assertEquals(null, s.getLatencyMs(), submitted.toString());
            }
        }
    }

    @Test
    void anUnknownTaskWithinTheLimitIsQuotedInTheReason() {
        final PuzzleSolution s = answerTo(sudoku("r1").setTask("kakuro").build());
        assertTrue(s.getError().startsWith("unknown task 'kakuro'"), s.getError());
    }

    private PuzzleSolution answerTo(final io.hrmstream.schemas.PuzzleRequest request) {
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir,
                EngineRoster.of(ScriptedEngine.holding(SUDOKU_MODEL)))) {
            worker.publish(request);
            return worker.solutions.readValue();
        }
    }
}
