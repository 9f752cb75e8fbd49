package io.hrmstream.worker.stream;

import io.hrmstream.puzzles.MazeTask;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.ModelDescriptor;
import io.hrmstream.worker.engine.SolveRequest;
import io.hrmstream.worker.engine.SolveResult;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.hrmstream.worker.stream.TopologyFixture.FORWARD_INTERVAL;
import static io.hrmstream.worker.stream.TopologyFixture.PUZZLE;
import static io.hrmstream.worker.stream.TopologyFixture.SOLUTION;
import static io.hrmstream.worker.stream.TopologyFixture.START;
import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU_MODEL;
import static io.hrmstream.worker.stream.TopologyFixture.grid;
import static io.hrmstream.worker.stream.TopologyFixture.result;
import static io.hrmstream.worker.stream.TopologyFixture.sudoku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The solve path on the TopologyTestDriver: valid requests, the engine's answers, and how they leave. */
class SolveTopologyTest {

    private static final MazeTask MAZE = new MazeTask();

    @RegisterExtension
    static final TestRegistry registry = new TestRegistry();

    @TempDir
    Path stateDir;

    @Test
    void eachRequestGoesToTheEngineOfItsTaskAndItsSolutionNamesThatModel() {
        final ModelDescriptor mazeModel = new ModelDescriptor("hrm-maze@0123abcd", "maze", "hrm_act_v1", 9,
                MAZE.vocabSize(), 1, 8, SUDOKU_MODEL.haltRule(), "cpu()");
        final ScriptedEngine sudokuEngine = ScriptedEngine.holding(SUDOKU_MODEL);
        final ScriptedEngine mazeEngine = ScriptedEngine.holding(mazeModel);
        final Grid maze = mazeGrid("S  ## G  ");
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir,
                EngineRoster.of(sudokuEngine, mazeEngine))) {
            worker.publish(sudoku("s1").build());
            worker.publish(PuzzleRequest.newBuilder().setId("m1").setTask("maze").setGrid(maze).setPuzzleId(0)
                    .setMaxSteps(null).setSubmittedAtMs(null).setAttributes(Map.of()).build());
            assertEquals(List.of("s1"), sudokuEngine.submitted().stream().map(SolveRequest::requestId).toList());
            assertEquals(List.of("m1"), mazeEngine.submitted().stream().map(SolveRequest::requestId).toList());

            sudokuEngine.complete(result("s1", grid(9, 9, SOLUTION), 5, HaltReason.Q_HALT));
            final Grid path = mazeGrid("Soo##oGoo");
            mazeEngine.complete(new SolveResult("m1", MAZE.encode(path), 3, 8, HaltReason.Q_HALT, 0.9f, 1, 0L, 0L));
            worker.advance(FORWARD_INTERVAL);

            final Map<String, PuzzleSolution> answers = worker.solutions.readValuesToList().stream()
                    .collect(java.util.stream.Collectors.toMap(PuzzleSolution::getRequestId, a -> a));
            assertEquals(SUDOKU_MODEL.name(), answers.get("s1").getModel());
            assertEquals(SolveStatus.SOLVED, answers.get("s1").getStatus());
            assertEquals("hrm-maze@0123abcd", answers.get("m1").getModel());
            assertEquals(SolveStatus.SOLVED, answers.get("m1").getStatus());
            assertEquals(path, answers.get("m1").getSolution());
        }
    }

    private static Grid mazeGrid(final String cells) {
        return new Grid(3, 3, java.nio.ByteBuffer.wrap(cells.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @Test
    void aSolvedPuzzleIsAnsweredWithEveryFieldOfTheSolution() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            final Duration clientToWorker = Duration.ofMillis(40);
            worker.publish(sudoku("r1").setMaxSteps(8).setAttributes(Map.of("source", "test"))
                    .setSubmittedAtMs(START.minus(clientToWorker)).build());
            assertEquals(8, engine.submitted("r1").maxSteps());
            assertEquals(1, engine.submitted("r1").puzzleIdentifier());

            engine.complete(result("r1", grid(9, 9, SOLUTION), 5, HaltReason.Q_HALT));
            worker.advance(FORWARD_INTERVAL);

            final TestRecord<String, PuzzleSolution> answer = worker.solutions.readRecord();
            assertEquals("r1", answer.key());
            final PuzzleSolution s = answer.value();
            assertEquals("r1", s.getRequestId());
            assertEquals("sudoku", s.getTask());
            assertEquals(SolveStatus.SOLVED, s.getStatus());
            assertEquals(grid(9, 9, SOLUTION), s.getSolution());
            assertEquals(5, s.getSteps());
            assertEquals(16, s.getMaxSteps());
            assertEquals(HaltReason.Q_HALT, s.getHaltedBy());
            assertEquals(0.75f, s.getHaltConfidence());
            assertEquals(SUDOKU_MODEL.name(), s.getModel());
            assertEquals(TopologyFixture.WORKER_ID, s.getWorkerId());
            assertEquals(3, s.getBatchSize());
            assertEquals(4L, s.getQueuedMs());
            assertEquals(25L, s.getInferenceMs());
            assertEquals(clientToWorker.plus(FORWARD_INTERVAL).toMillis(), s.getLatencyMs());
            assertNull(s.getError());
            assertEquals(Map.of("source", "test"), s.getAttributes());
            assertTrue(worker.solutions.isEmpty());
            assertEquals(0, worker.inFlightCount());
        }
    }

    @Test
    void theObserverHearsOfEachForwardedSolutionWithTheRequestItAnswers() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        final List<String> heard = new ArrayList<>();
        final SolveObserver observer = new SolveObserver() {
            @Override
            public void onSolution(final PuzzleRequest request, final PuzzleSolution solution) {
                heard.add(request.getId() + ":" + solution.getRequestId() + ":" + solution.getStatus()
                        + ":" + request.getGrid().equals(sudoku("any").getGrid()));
            }
        };
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine), observer)) {
            worker.publish(sudoku("r1").setSamples(1).build());
            worker.publish(sudoku("r2").setTask("chess").build());
            engine.complete(result("r1", grid(9, 9, SOLUTION), 5, HaltReason.Q_HALT));
            worker.advance(FORWARD_INTERVAL);
            assertEquals(List.of("r2:r2:REJECTED:true", "r1:r1:SOLVED:true"), heard);
        }
    }

    @Test
    void anAnswerTheVerifierRejectsIsInvalid() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(sudoku("r1").setSamples(1).build());   // one view: no guess scaling
            // the engine "answers" with the puzzle itself: blanks left, so not a solution
            engine.complete(result("r1", grid(9, 9, PUZZLE), 16, HaltReason.MAX_STEPS));
            worker.advance(FORWARD_INTERVAL);

            final PuzzleSolution s = worker.solutions.readValue();
            assertEquals(SolveStatus.INVALID, s.getStatus());
            assertEquals(HaltReason.MAX_STEPS, s.getHaltedBy());
            assertEquals(16, s.getSteps());
            assertNull(s.getLatencyMs(), "no submittedAtMs, no latency");
        }
    }

    @Test
    void completedResultsLeaveOnlyWhenTheWallClockPunctuatorFires() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(sudoku("r1").build());
            worker.publish(sudoku("r2").build());
            assertEquals(2, worker.inFlightCount());

            engine.complete(result("r2", grid(9, 9, SOLUTION), 3, HaltReason.Q_HALT));
            worker.publish(sudoku("r3").build());
            assertTrue(worker.solutions.isEmpty(), "process() never forwards engine results");
            worker.advance(FORWARD_INTERVAL.minusMillis(1));
            assertTrue(worker.solutions.isEmpty(), "the punctuator has not fired yet");

            worker.advance(Duration.ofMillis(1));
            assertEquals("r2", worker.solutions.readKeyValue().key);
            assertTrue(worker.solutions.isEmpty());
            assertEquals(2, worker.inFlightCount(), "r1 and r3 are still in flight");
            assertNull(worker.inFlight().get("r2"));
        }
    }

    @Test
    void aResultForARequestNoLongerInTheStoreIsDropped() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(sudoku("r1").build());
            worker.inFlight().delete("r1"); // as if the task had migrated and answered it elsewhere
            engine.complete(result("r1", grid(9, 9, SOLUTION), 2, HaltReason.Q_HALT));
            worker.advance(FORWARD_INTERVAL);
            assertTrue(worker.solutions.isEmpty());
        }
    }
}
