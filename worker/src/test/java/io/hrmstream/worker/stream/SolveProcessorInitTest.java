package io.hrmstream.worker.stream;

import io.hrmstream.puzzles.GridSymmetry;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.schemas.Topics;
import io.hrmstream.schemas.registry.SchemaRegistryClient;
import io.hrmstream.schemas.serde.ConfluentWireFormat;
import io.hrmstream.schemas.serde.RegistryAvroSerde;
import io.hrmstream.schemas.serde.SerdeConfig;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.SolverEngine;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.hrmstream.worker.stream.TopologyFixture.SOLUTION;
import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU;
import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU_MODEL;
import static io.hrmstream.worker.stream.TopologyFixture.grid;
import static io.hrmstream.worker.stream.TopologyFixture.result;
import static io.hrmstream.worker.stream.TopologyFixture.sudoku;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task that starts (after a crash, a rebalance or a restart) finds its in-flight requests in its store and
 * submits them again. The TopologyTestDriver wipes its state when closed, so this drives the processor on a
 * MockProcessorContext with a store that already holds requests, as a restored changelog would.
 */
class SolveProcessorInitTest {

    @RegisterExtension
    static final TestRegistry registry = new TestRegistry();

    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private final RegistryAvroSerde<PuzzleRequest> requestSerde = new RegistryAvroSerde<>(PuzzleRequest.class);
    private KeyValueStore<String, byte[]> inFlight;

    @BeforeEach
    void storeWithTwoRequestsInFlight() {
        context.setCurrentSystemTimeMs(TopologyFixture.START.toEpochMilli());
        requestSerde.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url()), false);
        inFlight = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SolveTopology.IN_FLIGHT_STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        inFlight.init(context.getStateStoreContext(), inFlight);
        context.addStateStore(inFlight);
        inFlight.put("r1", requestSerde.serializer().serialize(Topics.REQUESTS, sudoku("r1").build()));
        inFlight.put("r2", requestSerde.serializer().serialize(Topics.REQUESTS, sudoku("r2").setMaxSteps(4).build()));
    }

    @AfterEach
    void closeStore() {
        inFlight.close();
        requestSerde.close();
    }

    @Test
    void everyRequestLeftInTheStoreIsSubmittedAgainWhenTheTaskStarts() {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        final SolveProcessor processor = processor(EngineRoster.of(engine));
        processor.init(context);

        assertEquals(List.of("r1", "r2"), engine.submitted().stream().map(r -> r.requestId()).toList());
        assertEquals(4, engine.submitted("r2").maxSteps());

        engine.complete(result("r2", grid(9, 9, SOLUTION), 4, HaltReason.MAX_STEPS));
        punctuate();
        assertEquals(1, context.forwarded().size());
        final Record<?, ?> forwarded = context.forwarded().get(0).record();
        assertEquals(SolveTopology.SOLUTIONS_SINK, context.forwarded().get(0).childName().orElseThrow());
        assertEquals("r2", forwarded.key());
        assertEquals(SolveStatus.SOLVED, ((PuzzleSolution) forwarded.value()).getStatus());
        assertNull(inFlight.get("r2"));
        assertEquals(1, inFlight.approximateNumEntries(), "r1 is still in flight");
        processor.close();
    }

    @Test
    void aRequestStoredByTheVersionBeforeGuessScalingIsStillAnsweredAfterTheUpgrade() throws Exception {
        // the first released PuzzleRequest: today's schema without the fields added since (samples)
        final Schema current = PuzzleRequest.getClassSchema();
        final Schema released = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                current.getFields().stream().filter(f -> !f.name().equals("samples"))
                        .map(f -> new Schema.Field(f, f.schema())).toList());
        final int releasedId = new SchemaRegistryClient(List.of(URI.create(registry.url())), Optional.empty(),
                Duration.ofSeconds(5)).register(Topics.REQUESTS + "-value", released);
        final GenericRecord old = new GenericData.Record(released);
        final PuzzleRequest request = sudoku("r0").build();
        for (final Schema.Field field : released.getFields()) old.put(field.name(), request.get(field.name()));
        final ByteArrayOutputStream avro = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(avro, null);
        new GenericDatumWriter<GenericRecord>(released, GenericData.get()).write(old, encoder);
        encoder.flush();
        inFlight.put("r0", new ConfluentWireFormat(releasedId, avro.toByteArray()).encode());

        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        final SolveProcessor processor = processor(EngineRoster.of(engine));
        processor.init(context);
        assertTrue(engine.submitted().stream().anyMatch(r -> r.requestId().equals("r0")), "resubmitted");
        engine.complete(result("r0", grid(9, 9, SOLUTION), 2, HaltReason.Q_HALT));
        punctuate();
        final PuzzleSolution s = (PuzzleSolution) context.forwarded().get(0).record().value();
        assertEquals("r0", s.getRequestId());
        assertEquals(SolveStatus.SOLVED, s.getStatus());
        assertEquals(1, s.getSamples());
        assertNull(inFlight.get("r0"));
        processor.close();
    }

    @Test
    void aTaskThatCrashedMidEscalationRacesTheSameViewsAgainAndAnswersOnce() {
        inFlight.delete("r2");
        final Grid puzzle = sudoku("r1").build().getGrid();
        final GridSymmetry view2 = SUDOKU.symmetries().orElseThrow().view(puzzle, GuessScaling.seedOf("r1"), 2);

        // the first life of the task: r1's first answer fails, its views race, then the worker dies
        final ScriptedEngine before = ScriptedEngine.holding(SUDOKU_MODEL);
        final SolveProcessor crashed = processor(EngineRoster.of(before));
        crashed.init(context);
        before.complete(result("r1", puzzle, 8, HaltReason.MAX_STEPS));
        punctuate();
        assertEquals(GuessScaling.DEFAULT_SAMPLES, before.submitted().size(), "escalated");
        assertTrue(context.forwarded().isEmpty(), "nothing answered before the crash");
        assertEquals(1, inFlight.approximateNumEntries(), "r1 is still in flight in the store");

        // the task starts again (here or on another worker) from the same store
        final ScriptedEngine after = ScriptedEngine.holding(SUDOKU_MODEL);
        final SolveProcessor restarted = processor(EngineRoster.of(after));
        restarted.init(context);
        after.complete(result("r1", puzzle, 8, HaltReason.MAX_STEPS));
        punctuate();
        for (int i = 0; i < before.submitted().size(); i++) {
            assertArrayEquals(before.submitted().get(i).tokens(), after.submitted().get(i).tokens(),
                    "the same views, drawn from the request id");
        }
        after.complete(result("r1/v2", view2.apply(grid(9, 9, SOLUTION)), 3, HaltReason.Q_HALT));
        punctuate();
        punctuate();
        assertEquals(1, context.forwarded().size(), "answered once");
        final PuzzleSolution s = (PuzzleSolution) context.forwarded().get(0).record().value();
        assertEquals(SolveStatus.SOLVED, s.getStatus());
        assertEquals(grid(9, 9, SOLUTION), s.getSolution());
        assertNull(inFlight.get("r1"));
        restarted.close();
    }

    @Test
    void requestsLeftInTheStoreThatTheWorkerCanNoLongerRunAreRejectedByThePunctuator() {
        final SolveProcessor processor = processor(EngineRoster.none());
        processor.init(context);
        assertTrue(context.forwarded().isEmpty(), "init() does not forward");

        punctuate();
        assertEquals(2, context.forwarded().size());
        for (final MockProcessorContext.CapturedForward<?, ?> f : context.forwarded()) {
            final PuzzleSolution s = (PuzzleSolution) f.record().value();
            assertEquals(SolveStatus.REJECTED, s.getStatus());
            assertEquals(RequestValidator.NO_MODEL, s.getError());
        }
        assertEquals(0, inFlight.approximateNumEntries());
        processor.close();
    }

    private SolveProcessor processor(final EngineRoster engine) {
        final RegistryAvroSerde<PuzzleRequest> serde = new RegistryAvroSerde<>(PuzzleRequest.class);
        serde.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url()), false);
        return new SolveProcessor(engine, serde.deserializer(), TopologyFixture.WORKER_ID, 8, Duration.ofSeconds(5),
                TopologyFixture.FORWARD_INTERVAL, GuessScaling.defaults(), SolveObserver.NONE);
    }

    /** Runs the punctuator of the processor initialised last. */
    private void punctuate() {
        final var punctuators = context.scheduledPunctuators();
        punctuators.get(punctuators.size() - 1).getPunctuator().punctuate(context.currentSystemTimeMs());
    }
}
