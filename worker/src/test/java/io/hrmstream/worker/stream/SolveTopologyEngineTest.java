package io.hrmstream.worker.stream;

import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.worker.engine.EngineClosedException;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.NonFiniteOutputException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.hrmstream.worker.stream.TopologyFixture.FORWARD_INTERVAL;
import static io.hrmstream.worker.stream.TopologyFixture.SOLUTION;
import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU_MODEL;
import static io.hrmstream.worker.stream.TopologyFixture.grid;
import static io.hrmstream.worker.stream.TopologyFixture.result;
import static io.hrmstream.worker.stream.TopologyFixture.sudoku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the topology treats the engine: a bound on what a task has in it, and its failures. */
class SolveTopologyEngineTest {

    @RegisterExtension
    static final TestRegistry registry = new TestRegistry();

    @TempDir
    Path stateDir;

    @Test
    void aTaskWithMaxInFlightPuzzlesInTheEngineTakesTheNextRecordOnlyWhenOneCompletes() throws Exception {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine), 2,
                Duration.ofSeconds(30))) {
            worker.publish(sudoku("r1").build());
            worker.publish(sudoku("r2").build());

            final CompletableFuture<Void> third = new CompletableFuture<>();
            final Thread publisher = new Thread(() -> {
                worker.publish(sudoku("r3").build());
                third.complete(null);
            }, "publish-r3");
            publisher.start();
            awaitBlocked(publisher);
            assertFalse(third.isDone(), "process() waits while the task has 2 puzzles in the engine");
            assertEquals(2, engine.submitted().size());

            engine.complete(result("r1", grid(9, 9, SOLUTION), 1, HaltReason.Q_HALT));
            third.get(10, TimeUnit.SECONDS);
            assertEquals(3, engine.submitted().size());
            assertTrue(worker.solutions.isEmpty(), "still only the punctuator forwards");

            worker.advance(FORWARD_INTERVAL);
            assertEquals("r1", worker.solutions.readKeyValue().key);
        }
    }

    @Test
    void anEngineThatCompletesNothingWithinTheWaitStopsTheTaskAndKeepsItsRequests() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine), 1,
                Duration.ofMillis(100))) {
            worker.publish(sudoku("r1").build());
            final StreamsException e = assertThrows(StreamsException.class, () -> worker.publish(sudoku("r2").build()));
            assertTrue(causes(e).contains("completed none"), causes(e));
            assertEquals(1, worker.inFlightCount());
        }
    }

    @Test
    void aPuzzleTheEngineFailsOnIsRejectedWithTheEnginesReason() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(sudoku("r1").build());
            engine.fail("r1", new IllegalStateException("NaN in the carry"));
            worker.advance(FORWARD_INTERVAL);
            final PuzzleSolution s = worker.solutions.readValue();
            assertEquals(SolveStatus.REJECTED, s.getStatus());
            assertTrue(s.getError().startsWith("engine failed") && s.getError().contains("NaN in the carry"),
                    s.getError());
            assertEquals(0, worker.inFlightCount());
        }
    }

    @Test
    void aPuzzleWhoseModelOutputIsNotFiniteIsInvalidWithTheReasonNotAGarbageAnswer() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(sudoku("r1").setSamples(1).build());
            engine.fail("r1", new NonFiniteOutputException("non-finite model output at step 3 of request r1: "
                    + "q_halt NaN, q_continue 0.0"));
            worker.advance(FORWARD_INTERVAL);
            final PuzzleSolution s = worker.solutions.readValue();
            assertEquals(SolveStatus.INVALID, s.getStatus());
            assertEquals(null, s.getSolution());
            assertTrue(s.getError().startsWith("non-finite model output"), s.getError());
            assertEquals(0, worker.inFlightCount());
        }
    }

    @Test
    void aClosedEngineFailsTheTaskAndLeavesItsRequestsInFlight() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(sudoku("r1").build());
            engine.fail("r1", new EngineClosedException("closed"));
            final StreamsException e = assertThrows(StreamsException.class, () -> worker.advance(FORWARD_INTERVAL));
            assertTrue(causes(e).contains("resubmitted on restart"), causes(e));
            assertTrue(worker.solutions.isEmpty());
            assertEquals(1, worker.inFlightCount());
        }
    }

    private static String causes(final Throwable e) {
        final StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" <- ");
        }
        return all.toString();
    }

    /** Waits until {@code thread} is parked waiting for a task permit (TaskSubmissions), or fails after 10 s. */
    private static void awaitBlocked(final Thread thread) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(thread.getState() == Thread.State.TIMED_WAITING && Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getMethodName().equals("awaitPermit")))) {
            assertTrue(thread.isAlive(), "the publisher ended instead of waiting for a permit");
            assertTrue(System.nanoTime() < deadline, "the publisher did not block within 10 s");
            Thread.onSpinWait();
        }
    }
}
