package io.hrmstream.worker.stream;

import io.hrmstream.puzzles.ArcTask;
import io.hrmstream.puzzles.Grids;
import io.hrmstream.puzzles.data.ArcAugmentation;
import io.hrmstream.puzzles.data.ArcIdentifiers;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.RequestAttributeNames;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.ModelDescriptor;
import io.hrmstream.worker.engine.SolveRequest;
import io.hrmstream.worker.engine.SolveResult;
import io.hrmstream.worker.model.HaltRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.hrmstream.worker.stream.TopologyFixture.FORWARD_INTERVAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARC the official way: a request naming its ARC task runs as the task's augmented copies from identifiers.json,
 * each answer is mapped back, and the official vote picks the solution and the second attempt.
 */
class ArcVotingTopologyTest {

    @RegisterExtension
    static final TestRegistry registry = new TestRegistry();

    @TempDir
    Path stateDir;

    private static final ArcTask ARC = new ArcTask();
    private static final ModelDescriptor ARC_MODEL = new ModelDescriptor("hrm-arc-test", "arc", "hrm_act_v1",
            ArcTask.SEQ_LEN, ArcTask.VOCAB_SIZE, 6, 16, HaltRule.Q_HALT_ABOVE_Q_CONTINUE, "cpu()");
    private static final ArcIdentifiers IDS = ArcIdentifiers.of(List.of("<blank>", "other",
            "taskA|||t1|||0213456789", "taskA", "taskA|||t7|||0987654321", "taskA|||t4|||0123456798"));
    private static final Grid INPUT = Grids.of(2, 3, new byte[]{1, 2, 3, 0, 0, 9});
    private static final Grid X = Grids.of(3, 2, new byte[]{1, 1, 2, 2, 3, 3});
    private static final Grid Y = Grids.of(1, 1, new byte[]{5});

    private static PuzzleRequest arc(final String id, final Map<String, String> attributes) {
        return PuzzleRequest.newBuilder().setId(id).setTask("arc").setGrid(INPUT).setPuzzleId(1)
                .setMaxSteps(null).setSubmittedAtMs(null).setAttributes(attributes).build();
    }

    /** What a view answers: {@code answer} (as the task is) shown the way the view's copy sees it. */
    private static SolveResult answers(final SolveRequest view, final ArcAugmentation augmentation, final Grid answer,
                                       final int steps, final float confidence) {
        return new SolveResult(view.requestId(), ARC.encode(augmentation.apply(answer)), steps, 16,
                HaltReason.Q_HALT, confidence, 3, 1_000_000L, 2_000_000L);
    }

    @Test
    void aRequestNamingItsTaskRunsTheTasksCopiesMapsTheirAnswersBackAndSendsTheVote() {
        final ScriptedEngine engine = ScriptedEngine.holding(ARC_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine),
                WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK, WorkerConfig.DEFAULT_ENGINE_WAIT,
                new ArcVoting(Optional.of(IDS), 3))) {
            worker.publish(arc("r1", Map.of(RequestAttributeNames.ARC_TASK, "taskA")));

            final List<ArcIdentifiers.View> copies = IDS.views("taskA").subList(0, 3);
            assertEquals(List.of("r1/v0", "r1/v1", "r1/v2"),
                    engine.submitted().stream().map(SolveRequest::requestId).toList(), "--arc-views 3: three copies");
            for (int k = 0; k < 3; k++) {
                final SolveRequest view = engine.submitted("r1/v" + k);
                assertEquals(copies.get(k).puzzleId(), view.puzzleIdentifier(), "each copy under its own embedding");
                assertArrayEquals(ARC.encode(copies.get(k).augmentation().apply(INPUT)), view.tokens());
            }
            assertEquals(List.of(3, 2, 4), copies.stream().map(ArcIdentifiers.View::puzzleId).toList(),
                    "the task as it is first, then its copies in row order");

            // out of order on purpose: the vote counts views in view order, whenever they finish
            engine.complete(answers(engine.submitted("r1/v2"), copies.get(2).augmentation(), X, 4, 0.2f));
            engine.complete(answers(engine.submitted("r1/v1"), copies.get(1).augmentation(), Y, 7, 0.99f));
            worker.advance(FORWARD_INTERVAL);
            assertTrue(worker.solutions.isEmpty(), "no answer before every view has voted");
            engine.complete(answers(engine.submitted("r1/v0"), copies.get(0).augmentation(), X, 5, 0.6f));
            worker.advance(FORWARD_INTERVAL);

            final PuzzleSolution s = worker.solutions.readValue();
            assertEquals(SolveStatus.ANSWERED, s.getStatus());
            assertEquals(X, s.getSolution(), "two views agree on X once mapped back: it beats Y's one confident vote");
            assertEquals(Y, s.getSecondSolution());
            assertEquals(2, s.getVotes());
            assertEquals(3, s.getSamples());
            assertEquals(5 + 7 + 4, s.getComputeSteps());
            assertEquals(5, s.getSteps(), "the other fields are the first view's that gave the winning answer");
            assertEquals(0.6f, s.getHaltConfidence());
            assertEquals(0, worker.inFlightCount());
        }
    }

    @Test
    void whenEveryViewAgreesThereIsNoSecondAttemptAndZeroViewsMeansAllCopies() {
        final ScriptedEngine engine = ScriptedEngine.holding(ARC_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine),
                WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK, WorkerConfig.DEFAULT_ENGINE_WAIT,
                new ArcVoting(Optional.of(IDS), 0))) {
            worker.publish(arc("r1", Map.of(RequestAttributeNames.ARC_TASK, "taskA")));
            final List<ArcIdentifiers.View> copies = IDS.views("taskA");
            assertEquals(4, engine.submitted().size());
            for (int k = 0; k < copies.size(); k++) {
                engine.complete(answers(engine.submitted("r1/v" + k), copies.get(k).augmentation(), X, 2, 0.5f));
            }
            worker.advance(FORWARD_INTERVAL);

            final PuzzleSolution s = worker.solutions.readValue();
            assertEquals(X, s.getSolution());
            assertNull(s.getSecondSolution());
            assertEquals(4, s.getVotes());
        }
    }

    @Test
    void aTaskTheIdentifiersDoNotNameIsRejectedAndARequestNamingNoTaskRunsAsSent() {
        final ScriptedEngine engine = ScriptedEngine.holding(ARC_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine),
                WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK, WorkerConfig.DEFAULT_ENGINE_WAIT,
                new ArcVoting(Optional.of(IDS), 3))) {
            worker.publish(arc("unknown", Map.of(RequestAttributeNames.ARC_TASK, "nope")));
            final PuzzleSolution rejected = worker.solutions.readValue();
            assertEquals(SolveStatus.REJECTED, rejected.getStatus());
            assertTrue(rejected.getError().contains("'nope'") && rejected.getError().contains("--puzzle-ids"),
                    rejected.getError());

            worker.publish(arc("plain", Map.of()));
            assertEquals(List.of("plain"), engine.submitted().stream().map(SolveRequest::requestId).toList());
            assertEquals(1, engine.submitted("plain").puzzleIdentifier(), "the request's own puzzleId");
            engine.complete(new SolveResult("plain", ARC.encode(Y), 3, 16, HaltReason.Q_HALT, 0.5f, 1, 0L, 0L));
            worker.advance(FORWARD_INTERVAL);
            final PuzzleSolution s = worker.solutions.readValue();
            assertEquals(Y, s.getSolution());
            assertEquals(0, s.getVotes(), "not voted");
        }
    }

    @Test
    void aViewTheEngineFailsOnHasNoVoteAndAllFailedIsAnInvalidAnswer() {
        final ScriptedEngine engine = ScriptedEngine.holding(ARC_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine),
                WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK, WorkerConfig.DEFAULT_ENGINE_WAIT,
                new ArcVoting(Optional.of(IDS), 2))) {
            final List<ArcIdentifiers.View> copies = IDS.views("taskA");
            worker.publish(arc("r1", Map.of(RequestAttributeNames.ARC_TASK, "taskA")));
            engine.fail("r1/v0", new IllegalStateException("boom"));
            engine.complete(answers(engine.submitted("r1/v1"), copies.get(1).augmentation(), Y, 3, 0.4f));
            worker.publish(arc("r2", Map.of(RequestAttributeNames.ARC_TASK, "taskA")));
            engine.fail("r2/v0", new IllegalStateException("boom"));
            engine.fail("r2/v1", new IllegalStateException("boom"));
            worker.advance(FORWARD_INTERVAL);

            final PuzzleSolution one = worker.solutions.readValue();
            assertEquals(Y, one.getSolution());
            assertEquals(1, one.getVotes());
            assertEquals(2, one.getSamples());
            final PuzzleSolution none = worker.solutions.readValue();
            assertEquals("r2", none.getRequestId());
            assertEquals(SolveStatus.INVALID, none.getStatus());
            assertNull(none.getSolution());
            assertEquals(0, worker.inFlightCount());
        }
    }
}
