package io.hrmstream.worker.stream;

import io.hrmstream.puzzles.ArcTask;
import io.hrmstream.puzzles.ArcVote;
import io.hrmstream.puzzles.Grids;
import io.hrmstream.puzzles.data.ArcIdentifiers;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.RequestAttributeNames;
import io.hrmstream.worker.checkpoint.HostTensor;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.checkpoint.ModelWriter;
import io.hrmstream.worker.checkpoint.Safetensors;
import io.hrmstream.worker.checkpoint.WeightSource;
import io.hrmstream.worker.engine.BatchingMode;
import io.hrmstream.worker.engine.ContinuousBatchingEngine;
import io.hrmstream.worker.engine.EngineConfig;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.ResidentSlotBatch;
import io.hrmstream.worker.engine.SolveRequest;
import io.hrmstream.worker.engine.SolveResult;
import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.ModelConfig;
import io.hrmstream.worker.model.ReasoningModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARC voting end to end on a real model: a small HRM made by the test (random weights, every puzzle embedding its
 * own, so each copy of a task answers differently), an identifiers table with several copies per task, the worker's
 * topology and engine. The worker's answer must be the official vote over what the model answers for each copy
 * alone, mapped back by hand.
 */
class ArcVotingOnModelTest {

    @RegisterExtension
    static final TestRegistry registry = new TestRegistry();

    @TempDir
    Path dir;

    private static final ArcTask ARC = new ArcTask();
    private static final List<String> IDENTIFIERS = List.of("<blank>", "taskB", "taskA",
            "taskA|||t1|||0312456789", "taskB|||t3|||0123456789", "taskA|||t6|||0987654321",
            "taskA|||t2|||0213546798", "taskA|||t7|||0123456789");
    private static final Grid INPUT = Grids.of(3, 4, new byte[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1});

    @Test
    void theWorkersAnswerIsTheOfficialVoteOverWhatTheModelAnswersForEachCopy() throws Exception {
        final ArcIdentifiers ids = ArcIdentifiers.of(IDENTIFIERS);
        try (ReasoningModel model = ModelLoader.load(smallArcModel(IDENTIFIERS.size()), ComputeDevice.cpu());
             ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(
                     // one slot: every view runs alone, so the answers below are the worker's to the bit
                     new ResidentSlotBatch(model, 1, "arc-test", "arc"),
                     new EngineConfig(BatchingMode.ACT, Duration.ZERO))) {
            final List<ArcIdentifiers.View> copies = ids.views("taskA");
            assertEquals(5, copies.size());
            final ArcVote expected = new ArcVote();
            final Set<String> distinct = new HashSet<>();
            int steps = 0;
            for (int k = 0; k < copies.size(); k++) {
                final ArcIdentifiers.View copy = copies.get(k);
                final SolveResult seen = engine.submit(new SolveRequest("alone-" + k,
                        ARC.encode(copy.augmentation().apply(INPUT)), copy.puzzleId(), 2)).get(60, TimeUnit.SECONDS);
                final Grid back = copy.augmentation().invert(ARC.decode(seen.tokens(), INPUT));
                expected.add(back, seen.haltConfidence());
                steps += seen.steps();
                distinct.add(back.getRows() + "x" + back.getCols() + java.util.Arrays.toString(Grids.cells(back)));
            }
            assertTrue(distinct.size() > 1, "the copies answer differently, so the vote has something to decide");
            final List<ArcVote.Candidate> top = expected.top(ArcVote.ATTEMPTS);

            try (TopologyFixture worker = new TopologyFixture(registry, dir.resolve("state"), EngineRoster.of(engine),
                    WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK, WorkerConfig.DEFAULT_ENGINE_WAIT,
                    new ArcVoting(Optional.of(ids), 0))) {
                worker.publish(PuzzleRequest.newBuilder().setId("r1").setTask("arc").setGrid(INPUT).setPuzzleId(0)
                        .setMaxSteps(2).setSubmittedAtMs(null)
                        .setAttributes(Map.of(RequestAttributeNames.ARC_TASK, "taskA")).build());
                final PuzzleSolution s = awaitSolution(worker);

                assertEquals(top.get(0).answer(), s.getSolution());
                assertEquals(top.get(0).votes(), s.getVotes());
                assertEquals(top.size() > 1 ? top.get(1).answer() : null, s.getSecondSolution());
                assertEquals(5, s.getSamples());
                assertEquals(steps, s.getComputeSteps(), "the steps of every copy");
                assertTrue(s.getVotes() < 5, "not a unanimous vote");
            }
        }
    }

    /** Waits (wall clock, up to 60 s) for the engine's thread to finish every view and the punctuator to vote. */
    private static PuzzleSolution awaitSolution(final TopologyFixture worker) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (worker.solutions.isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "no solution within 60 s");
            Thread.sleep(20);
            worker.advance(TopologyFixture.FORWARD_INTERVAL);
        }
        return worker.solutions.readValue();
    }

    /**
     * A small HRM for 30x30 ARC grids, written as a model folder: random weights, then every puzzle embedding and the
     * q head drawn at random too (they start at 0, which would make every copy answer alike and tie every vote).
     */
    private Path smallArcModel(final int identifiers) throws IOException {
        final ModelConfig config = ModelConfig.builder(Architecture.HRM_ACT_V1)
                .seq_len(ArcTask.SEQ_LEN).vocab_size(ArcTask.VOCAB_SIZE).num_puzzle_identifiers(identifiers)
                .hidden_size(32).num_heads(2).H_layers(1).L_layers(1).H_cycles(1).L_cycles(1)
                .puzzle_emb_ndim(32).halt_max_steps(2).build();
        final Path folder = dir.resolve("arc-model");
        try (ReasoningModel model = ReasoningModel.randomlyInitialised(config, 11, ComputeDevice.cpu())) {
            ModelWriter.save(model, "arc", folder);
        }
        final Path weights = folder.resolve(ModelLoader.WEIGHTS_SAFETENSORS);
        final Map<String, HostTensor> tensors = new LinkedHashMap<>(Safetensors.read(weights));
        final Random random = new Random(3);
        for (String key : List.of("puzzle_emb.weights", "q_head.weight")) {
            final String name = WeightSource.OFFICIAL_PREFIX + key;
            final HostTensor t = tensors.get(name);
            final float[] values = new float[(int) t.numel()];
            for (int i = 0; i < values.length; i++) values[i] = (float) random.nextGaussian();
            tensors.put(name, HostTensor.ofFloats(t.shape(), values));
        }
        Safetensors.write(weights, tensors, Map.of("format", "pt"));
        return folder;
    }
}
