package io.hrmstream.worker.stream;

import io.hrmstream.puzzles.GridSymmetry;
import io.hrmstream.puzzles.PuzzleTask;
import io.hrmstream.puzzles.PuzzleTasks;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.worker.engine.ModelDescriptor;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.SolveRequest;
import io.hrmstream.worker.engine.SolveResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.hrmstream.worker.stream.TopologyFixture.FORWARD_INTERVAL;
import static io.hrmstream.worker.stream.TopologyFixture.PUZZLE;
import static io.hrmstream.worker.stream.TopologyFixture.SOLUTION;
import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU;
import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU_MODEL;
import static io.hrmstream.worker.stream.TopologyFixture.grid;
import static io.hrmstream.worker.stream.TopologyFixture.result;
import static io.hrmstream.worker.stream.TopologyFixture.sudoku;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guess scaling: a request runs as one view; only when that answer fails the verifier does the worker race
 * augmented views, keep the first that verifies (mapped back to the puzzle as sent) and cancel the rest.
 */
class GuessScalingTopologyTest {

    @RegisterExtension
    static final TestRegistry registry = new TestRegistry();

    @TempDir
    Path stateDir;

    private static final PuzzleTask MAZE = PuzzleTasks.forName("maze").orElseThrow();
    private static final Grid PUZZLE_GRID = grid(9, 9, PUZZLE);
    private static final Grid SOLUTION_GRID = grid(9, 9, SOLUTION);

    @Test
    void aFirstAnswerThatVerifiesIsSentAsItIsWithOneView() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(sudoku("r1").setSamples(8).build());
            engine.complete(result("r1", SOLUTION_GRID, 3, HaltReason.Q_HALT));
            worker.advance(FORWARD_INTERVAL);

            final PuzzleSolution s = worker.solutions.readValue();
            assertEquals(SolveStatus.SOLVED, s.getStatus());
            assertEquals(1, s.getSamples());
            assertEquals(3, s.getComputeSteps());
            assertEquals(1, engine.submitted().size(), "no view was started");
        }
    }

    @Test
    void aFailedFirstAnswerRacesSamplesMinusOneViewsAndTheFirstThatVerifiesIsMappedBackAndWins() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(sudoku("r1").setSamples(4).build());
            engine.complete(result("r1", PUZZLE_GRID, 16, HaltReason.MAX_STEPS));   // blanks left: INVALID
            worker.advance(FORWARD_INTERVAL);
            assertTrue(worker.solutions.isEmpty(), "a failed first answer is not sent: its views race");
            assertEquals(List.of("r1", "r1/v1", "r1/v2", "r1/v3"),
                    engine.submitted().stream().map(SolveRequest::requestId).toList());

            final List<GridSymmetry> views = views("r1", 3);
            for (int k = 1; k <= 3; k++) {
                assertArrayEquals(SUDOKU.encode(views.get(k - 1).apply(PUZZLE_GRID)),
                        engine.submitted("r1/v" + k).tokens(), "view " + k + " is the puzzle under its symmetry");
            }
            engine.stepped("r1/v1", 2);
            engine.stepped("r1/v3", 4);
            // view 2 answers the solution as it sees it: the symmetry's image of the solution
            engine.complete(result("r1/v2", views.get(1).apply(SOLUTION_GRID), 5, HaltReason.Q_HALT));
            worker.advance(FORWARD_INTERVAL);

            final PuzzleSolution s = worker.solutions.readValue();
            assertEquals(SolveStatus.SOLVED, s.getStatus());
            assertEquals(SOLUTION_GRID, s.getSolution(), "the winning answer is mapped back to the puzzle as sent");
            assertEquals(5, s.getSteps(), "steps are the returned view's");
            assertEquals(4, s.getSamples());
            assertEquals(16 + 5 + 2 + 4, s.getComputeSteps(), "compute: every view's steps, cancelled ones too");
            assertTrue(engine.cancelled("r1/v1") && engine.cancelled("r1/v3"), "the losing views are cancelled");
            assertEquals(0, worker.inFlightCount());
            assertTrue(worker.solutions.isEmpty());
        }
    }

    @Test
    void whenNoViewVerifiesTheMostConfidentAnswerIsSentAsInvalid() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(sudoku("r1").setSamples(3).build());
            engine.complete(invalid("r1", PUZZLE_GRID, 8, 0.2f));
            worker.advance(FORWARD_INTERVAL);
            final List<GridSymmetry> views = views("r1", 2);
            engine.complete(invalid("r1/v1", views.get(0).apply(PUZZLE_GRID), 6, 0.9f));
            worker.advance(FORWARD_INTERVAL);
            assertTrue(worker.solutions.isEmpty(), "one view is still running");
            engine.complete(invalid("r1/v2", views.get(1).apply(PUZZLE_GRID), 7, 0.4f));
            worker.advance(FORWARD_INTERVAL);

            final PuzzleSolution s = worker.solutions.readValue();
            assertEquals(SolveStatus.INVALID, s.getStatus());
            assertEquals(0.9f, s.getHaltConfidence(), "the most confident view's answer");
            assertEquals(6, s.getSteps());
            assertEquals(PUZZLE_GRID, s.getSolution(), "mapped back to the puzzle as sent");
            assertEquals(3, s.getSamples());
            assertEquals(8 + 6 + 7, s.getComputeSteps());
        }
    }

    @Test
    void aViewTheEngineFailsOnCountsAsAViewThatDidNotVerify() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(sudoku("r1").setSamples(2).build());
            engine.complete(invalid("r1", PUZZLE_GRID, 8, 0.3f));
            worker.advance(FORWARD_INTERVAL);
            engine.fail("r1/v1", new IllegalStateException("non-finite q_halt"));
            worker.advance(FORWARD_INTERVAL);

            final PuzzleSolution s = worker.solutions.readValue();
            assertEquals(SolveStatus.INVALID, s.getStatus());
            assertEquals(2, s.getSamples());
            assertEquals(0, worker.inFlightCount());
        }
    }

    @Test
    void aMazeRacesNoMoreThanItsSevenDifferentViewsWhateverSamplesAsksFor() {
        final ModelDescriptor mazeModel = new ModelDescriptor("hrm-maze-test", "maze", "hrm_act_v1", 9,
                MAZE.vocabSize(), 1, 8, SUDOKU_MODEL.haltRule(), "cpu()");
        final ScriptedEngine engine = ScriptedEngine.holding(mazeModel);
        final Grid maze = new Grid(3, 3, ByteBuffer.wrap("S  ## G  ".getBytes(StandardCharsets.US_ASCII)));
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(PuzzleRequest.newBuilder().setId("m1").setTask("maze").setGrid(maze).setPuzzleId(0)
                    .setMaxSteps(null).setSubmittedAtMs(null).setAttributes(Map.of()).setSamples(16).build());
            engine.complete(new SolveResult("m1", MAZE.encode(maze), 8, 8, HaltReason.MAX_STEPS, 0.1f, 1, 0L, 0L));
            worker.advance(FORWARD_INTERVAL);
            final List<String> views = engine.submitted().stream().map(SolveRequest::requestId).skip(1).toList();
            assertEquals(List.of("m1/v1", "m1/v2", "m1/v3", "m1/v4", "m1/v5", "m1/v6", "m1/v7"), views,
                    "the 7 non-identity transforms of a square grid, each once");
            for (final String view : views) {
                engine.complete(new SolveResult(view, engine.submitted(view).tokens(), 8, 8, HaltReason.MAX_STEPS,
                        0.1f, 1, 0L, 0L));
            }
            worker.advance(FORWARD_INTERVAL);

            final PuzzleSolution s = worker.solutions.readValue();
            assertEquals(SolveStatus.INVALID, s.getStatus());
            assertEquals(8, s.getSamples(), "views started: the maze as sent and its 7 others");
            assertEquals(8 * 8, s.getComputeSteps());
        }
    }

    @Test
    void oneSampleNeverEscalates() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(sudoku("r1").setSamples(1).build());
            engine.complete(invalid("r1", PUZZLE_GRID, 8, 0.3f));
            worker.advance(FORWARD_INTERVAL);
            assertEquals(SolveStatus.INVALID, worker.solutions.readValue().getStatus());
            assertEquals(1, engine.submitted().size());
        }
    }

    @Test
    void samplesOutsideOneToTheWorkersCeilingAreRejectedWithTheReason() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(sudoku("r0").setSamples(0).build());
            worker.publish(sudoku("r17").setSamples(GuessScaling.DEFAULT_MAX_SAMPLES + 1).build());
            for (int i = 0; i < 2; i++) {
                final PuzzleSolution s = worker.solutions.readValue();
                assertEquals(SolveStatus.REJECTED, s.getStatus());
                assertTrue(s.getError().startsWith("samples must be in 1..16"), s.getError());
            }
            assertTrue(engine.submitted().isEmpty());
        }
    }

    @Test
    void aRequestWithoutSamplesGetsTheWorkersDefault() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(sudoku("r1").build());
            engine.complete(invalid("r1", PUZZLE_GRID, 8, 0.3f));
            worker.advance(FORWARD_INTERVAL);
            assertEquals(GuessScaling.DEFAULT_SAMPLES, engine.submitted().size());
        }
    }

    @Test
    void aReplayedRequestRacesTheSameViews() {
        final ScriptedEngine first = ScriptedEngine.holding(SUDOKU_MODEL);
        final ScriptedEngine second = ScriptedEngine.holding(SUDOKU_MODEL);
        for (final ScriptedEngine engine : List.of(first, second)) {
            try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
                worker.publish(sudoku("r1").setSamples(5).build());
                engine.complete(invalid("r1", PUZZLE_GRID, 8, 0.3f));
                worker.advance(FORWARD_INTERVAL);
            }
        }
        assertEquals(5, first.submitted().size());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(first.submitted().get(i).tokens(), second.submitted().get(i).tokens());
        }
        assertFalse(java.util.Arrays.equals(first.submitted().get(1).tokens(), first.submitted().get(2).tokens()));
    }

    @Test
    void escalationViewsCountAgainstTheTasksBoundAndWaitForFreePermits() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine), 3,
                java.time.Duration.ofSeconds(30))) {
            worker.publish(sudoku("r1").setSamples(5).build());
            worker.publish(sudoku("r2").setSamples(1).build());
            engine.complete(invalid("r1", PUZZLE_GRID, 8, 0.3f));
            worker.advance(FORWARD_INTERVAL);
            // r2 holds one permit, so two of r1's four views run and two wait
            assertEquals(List.of("r1", "r2", "r1/v1", "r1/v2"),
                    engine.submitted().stream().map(SolveRequest::requestId).toList());
            engine.complete(result("r2", SOLUTION_GRID, 2, HaltReason.Q_HALT));
            worker.advance(FORWARD_INTERVAL);
            assertEquals("r1/v3", engine.submitted().get(4).requestId(), "a freed permit starts a waiting view");
        }
    }

    /** The symmetries the worker draws for {@code requestId}'s views 1..n. */
    private static List<GridSymmetry> views(final String requestId, final int n) {
        return java.util.stream.IntStream.rangeClosed(1, n)
                .mapToObj(k -> SUDOKU.symmetries().orElseThrow().view(PUZZLE_GRID, GuessScaling.seedOf(requestId), k))
                .toList();
    }

    private static SolveResult invalid(final String id, final Grid answer, final int steps, final float confidence) {
        return new SolveResult(id, SUDOKU.encode(answer), steps, 16, HaltReason.MAX_STEPS, confidence, 3, 0L, 0L);
    }
}
