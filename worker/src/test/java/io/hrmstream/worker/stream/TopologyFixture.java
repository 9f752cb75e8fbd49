package io.hrmstream.worker.stream;

import io.hrmstream.puzzles.PuzzleTask;
import io.hrmstream.puzzles.PuzzleTasks;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.Topics;
import io.hrmstream.schemas.serde.RegistryAvroSerde;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.ModelDescriptor;
import io.hrmstream.worker.engine.SolveResult;
import io.hrmstream.worker.engine.SolverEngine;
import io.hrmstream.worker.model.HaltRule;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The worker's topology on a {@link TopologyTestDriver} with the real registry serde (against
 * {@link TestRegistry}) and an optional engine double; wall-clock time starts at {@link #START}.
 */
final class TopologyFixture implements AutoCloseable {

    static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    static final Duration FORWARD_INTERVAL = WorkerConfig.DEFAULT_FORWARD_INTERVAL;
    static final String WORKER_ID = "worker-test";

    static final PuzzleTask SUDOKU = PuzzleTasks.forName("sudoku").orElseThrow();
    static final ModelDescriptor SUDOKU_MODEL = new ModelDescriptor("hrm-sudoku-test", "sudoku", "hrm_act_v1", 81,
            SUDOKU.vocabSize(), 2, 16, HaltRule.Q_HALT_ABOVE_Q_CONTINUE, "cpu()");

    /** Wikipedia's example sudoku (0 = blank) and its solution. */
    static final String PUZZLE =
            "530070000600195000098000060800060003400803001700020006060000280000419005000080079";
    static final String SOLUTION =
            "534678912672195348198342567859761423426853791713924856961537284287419635345286179";

    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> requests;
    final TestOutputTopic<String, PuzzleSolution> solutions;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final RegistryAvroSerde<PuzzleRequest> requestSerde = new RegistryAvroSerde<>(PuzzleRequest.class);
    private final RegistryAvroSerde<PuzzleSolution> solutionSerde = new RegistryAvroSerde<>(PuzzleSolution.class);

    TopologyFixture(final TestRegistry registry, final Path stateDir, final EngineRoster engine,
                    final int maxInFlightPerTask, final Duration engineWait) {
        this(registry, stateDir, engine, maxInFlightPerTask, engineWait, ArcVoting.off());
    }

    TopologyFixture(final TestRegistry registry, final Path stateDir, final EngineRoster engine,
                    final int maxInFlightPerTask, final Duration engineWait, final ArcVoting arcVoting) {
        this(registry, stateDir, engine, maxInFlightPerTask, engineWait, arcVoting, SolveObserver.NONE);
    }

    TopologyFixture(final TestRegistry registry, final Path stateDir, final EngineRoster engine,
                    final SolveObserver observer) {
        this(registry, stateDir, engine, WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK, WorkerConfig.DEFAULT_ENGINE_WAIT,
                ArcVoting.off(), observer);
    }

    TopologyFixture(final TestRegistry registry, final Path stateDir, final EngineRoster engine,
                    final int maxInFlightPerTask, final Duration engineWait, final ArcVoting arcVoting,
                    final SolveObserver observer) {
        final WorkerConfig config = new WorkerConfig("unused:9092", registry.url(), "hrm-worker-test", WORKER_ID,
                StreamsConfig.EXACTLY_ONCE_V2, stateDir, maxInFlightPerTask, engineWait, FORWARD_INTERVAL, Map.of())
                .withArcVoting(arcVoting);
        driver = new TopologyTestDriver(SolveTopology.build(config, engine, observer), config.streamsProperties(),
                START);
        requestSerde.configure(config.serdeConfig(), false);
        solutionSerde.configure(config.serdeConfig(), false);
        requests = driver.createInputTopic(Topics.REQUESTS, new ByteArraySerializer(), new ByteArraySerializer());
        solutions = driver.createOutputTopic(Topics.SOLUTIONS, new StringDeserializer(), solutionSerde.deserializer());
        deadLetters = driver.createOutputTopic(Topics.REQUESTS_DLQ, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    TopologyFixture(final TestRegistry registry, final Path stateDir, final EngineRoster engine) {
        this(registry, stateDir, engine, WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK, WorkerConfig.DEFAULT_ENGINE_WAIT);
    }

    /** Publishes a request the way a client would: key = id, value = the registry serde's bytes. */
    byte[] publish(final PuzzleRequest request) {
        final byte[] value = requestSerde.serializer().serialize(Topics.REQUESTS, request);
        requests.pipeInput(request.getId().getBytes(StandardCharsets.UTF_8), value);
        return value;
    }

    void advance(final Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    KeyValueStore<String, byte[]> inFlight() {
        return driver.getKeyValueStore(SolveTopology.IN_FLIGHT_STORE);
    }

    long inFlightCount() {
        return inFlight().approximateNumEntries();
    }

    static PuzzleRequest.Builder sudoku(final String id) {
        return PuzzleRequest.newBuilder()
                .setId(id)
                .setTask("sudoku")
                .setGrid(grid(9, 9, PUZZLE))
                .setPuzzleId(1)
                .setMaxSteps(null)
                .setSubmittedAtMs(null)
                .setAttributes(Map.of());
    }

    /** A grid of digits, one char per cell ('0'..'9' become bytes 0..9). */
    static Grid grid(final int rows, final int cols, final String digits) {
        final byte[] cells = new byte[digits.length()];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = (byte) (digits.charAt(i) - '0');
        }
        return new Grid(rows, cols, ByteBuffer.wrap(cells));
    }

    /** The engine's result for a puzzle whose predicted answer is {@code answer}. */
    static SolveResult result(final String requestId, final Grid answer, final int steps, final HaltReason haltedBy) {
        return new SolveResult(requestId, SUDOKU.encode(answer), steps, 16, haltedBy, 0.75f, 3, 4_000_000L,
                25_000_000L);
    }

    @Override
    public void close() {
        driver.close();
        requestSerde.close();
        solutionSerde.close();
    }
}
