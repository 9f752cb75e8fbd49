package io.hrmstream.worker.stream;

import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.ModelDescriptor;
import io.hrmstream.worker.engine.SolverEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static io.hrmstream.worker.stream.TopologyFixture.PUZZLE;
import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU_MODEL;
import static io.hrmstream.worker.stream.TopologyFixture.grid;
import static io.hrmstream.worker.stream.TopologyFixture.sudoku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A decodable but invalid request is answered at once with a REJECTED solution that says why; nothing runs. */
class SolveTopologyRejectionTest {

    @RegisterExtension
    static final TestRegistry registry = new TestRegistry();

    @TempDir
    Path stateDir;

    @Test
    void anUnknownTaskIsRejected() {
        assertRejected(sudoku("r").setTask("chess"), "unknown task 'chess'");
    }

    @Test
    void cellsThatDoNotFillRowsTimesColsAreRejected() {
        assertRejected(sudoku("r").setGrid(grid(9, 9, PUZZLE.substring(1))), "80 cells");
        assertRejected(sudoku("r").setGrid(grid(0, 9, "")), "at least one row");
    }

    @Test
    void aCellOutsideTheTasksAlphabetIsRejected() {
        final String withA10 = PUZZLE.substring(0, 2) + ":" + PUZZLE.substring(3); // ':' - '0' = 10
        assertRejected(sudoku("r").setGrid(grid(9, 9, withA10)), "invalid sudoku grid");
    }

    @Test
    void aTaskOtherThanTheModelsIsRejected() {
        final ModelDescriptor mazeModel = new ModelDescriptor("hrm-maze", "maze", "hrm_act_v1", 900, 6, 1, 16,
                SUDOKU_MODEL.haltRule(), "cpu()");
        assertRejected(ScriptedEngine.holding(mazeModel), sudoku("r"),
                "no model for sudoku puzzles on this worker (it serves [maze])");
    }

    @Test
    void aGridOfAnotherTokenCountThanTheModelTakesIsRejected() {
        final ModelDescriptor longer = new ModelDescriptor("hrm-sudoku-82", "sudoku", "hrm_act_v1", 82,
                SUDOKU_MODEL.vocabSize(), 2, 16, SUDOKU_MODEL.haltRule(), "cpu()");
        assertRejected(ScriptedEngine.holding(longer), sudoku("r"), "81 tokens, model hrm-sudoku-82 takes 82");
    }

    @Test
    void aPuzzleIdWithoutAnEmbeddingIsRejected() {
        assertRejected(sudoku("r").setPuzzleId(2), "puzzleId 2 has no embedding");
        assertRejected(sudoku("r").setPuzzleId(-1), "puzzleId -1 has no embedding");
    }

    @Test
    void maxStepsBelowOneIsRejected() {
        final PuzzleSolution s = assertRejected(sudoku("r").setMaxSteps(0), "maxSteps must be >= 1");
        assertEquals(0, s.getMaxSteps());
    }

    @Test
    void withoutAModelEveryRequestIsRejectedWithNoModelConfigured() {
        final PuzzleSolution s = assertRejected(EngineRoster.none(), sudoku("r"), RequestValidator.NO_MODEL);
        assertEquals(RequestValidator.NO_MODEL, s.getError());
        assertEquals("", s.getModel());
    }

    @Test
    void aDifferentRequestUnderAnIdInFlightIsRejectedAndARedeliveryIsSkipped() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            final byte[] first = worker.publish(sudoku("r").build());
            worker.requests.pipeInput("r".getBytes(), first); // the same record again (at_least_once replay)
            assertTrue(worker.solutions.isEmpty());
            worker.publish(sudoku("r").setMaxSteps(3).build());
            assertEquals(1, engine.submitted().size());
            final PuzzleSolution s = worker.solutions.readValue();
            assertEquals(SolveStatus.REJECTED, s.getStatus());
            assertTrue(s.getError().contains("another request with id 'r' is in flight"), s.getError());
        }
    }

    private PuzzleSolution assertRejected(final PuzzleRequest.Builder request, final String reason) {
        return assertRejected(ScriptedEngine.holding(SUDOKU_MODEL), request, reason);
    }

    private PuzzleSolution assertRejected(final ScriptedEngine engine, final PuzzleRequest.Builder request,
                                          final String reason) {
        final PuzzleSolution s = assertRejected(EngineRoster.of(engine), request, reason);
        assertTrue(engine.submitted().isEmpty(), "nothing reaches the engine");
        return s;
    }

    private PuzzleSolution assertRejected(final EngineRoster engine, final PuzzleRequest.Builder builder,
                                          final String reason) {
        final PuzzleRequest request = builder.setAttributes(Map.of("batch", "7")).build();
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, engine)) {
            worker.publish(request);
            final PuzzleSolution s = worker.solutions.readValue();
            assertEquals(SolveStatus.REJECTED, s.getStatus());
            assertTrue(s.getError().contains(reason), () -> "error '" + s.getError() + "' should say " + reason);
            assertEquals(request.getId(), s.getRequestId());
            assertEquals(request.getTask(), s.getTask());
            assertNull(s.getSolution());
            assertEquals(0, s.getSteps());
            assertEquals(HaltReason.NONE, s.getHaltedBy());
            assertEquals(TopologyFixture.WORKER_ID, s.getWorkerId());
            assertEquals(Map.of("batch", "7"), s.getAttributes());
            assertTrue(worker.solutions.isEmpty());
            assertEquals(0, worker.inFlightCount(), "a rejected request is never in flight");
            return s;
        }
    }
}
