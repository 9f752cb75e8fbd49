package io.hrmstream.worker.stream;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.Topics;
import io.hrmstream.schemas.serde.RegistryAvroSerde;
import io.hrmstream.worker.engine.EngineRoster;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;

/**
 * The worker's topology:
 * <pre>
 *   hrm.requests (bytes, bytes) --> solve [store: requests-in-flight] --+--> hrm.solutions (id, PuzzleSolution)
 *                                                                      +--> hrm.requests.dlq (bytes, bytes)
 * </pre>
 * Keys and values are read as bytes and decoded in {@link SolveProcessor}, so an undecodable record reaches
 * the dead-letter topic byte for byte (key included, even when it is not UTF-8).
 */
public final class SolveTopology {

    public static final String SOURCE = "requests";
    public static final String PROCESSOR = "solve";
    public static final String SOLUTIONS_SINK = "solutions";
    public static final String DEAD_LETTER_SINK = "dead-letters";
    /** Request id -> the request's value bytes as received, while the engine works on it. */
    public static final String IN_FLIGHT_STORE = "requests-in-flight";

    private SolveTopology() {
    }

    /**
     * The topology for {@code config} over {@code engines}, one per task; without engines every request is rejected
     * with "no model configured".
     */
    public static Topology build(final WorkerConfig config, final EngineRoster engines) {
        return build(config, engines, SolveObserver.NONE);
    }

    /** As {@link #build(WorkerConfig, EngineRoster)}, reporting requests, dead letters and solutions to {@code observer}. */
    public static Topology build(final WorkerConfig config, final EngineRoster engines,
                                 final SolveObserver observer) {
        final Map<String, Object> serdeConfig = config.serdeConfig();
        final Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Topics.REQUESTS);
        topology.addProcessor(PROCESSOR,
                () -> new SolveProcessor(engines, requestDeserializer(serdeConfig), config.workerId(),
                        config.maxInFlightPerTask(), config.engineWait(), config.forwardInterval(),
                        config.guessScaling(), config.arcVoting(), observer),
                SOURCE);
        // logged (the default, stated here because it is the point): the changelog is what lets a restarted
        // or migrated task find and resubmit the requests that were in flight
        topology.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IN_FLIGHT_STORE),
                                Serdes.String(), Serdes.ByteArray())
                        .withLoggingEnabled(Map.of()),
                PROCESSOR);
        topology.addSink(SOLUTIONS_SINK, Topics.SOLUTIONS, new StringSerializer(), solutionSerializer(serdeConfig),
                PROCESSOR);
        topology.addSink(DEAD_LETTER_SINK, Topics.REQUESTS_DLQ, new ByteArraySerializer(), new ByteArraySerializer(),
                PROCESSOR);
        return topology;
    }

    private static Deserializer<PuzzleRequest> requestDeserializer(final Map<String, Object> serdeConfig) {
        final RegistryAvroSerde<PuzzleRequest> serde = new RegistryAvroSerde<>(PuzzleRequest.class);
        serde.configure(serdeConfig, false);
        return serde.deserializer();
    }

    private static Serializer<PuzzleSolution> solutionSerializer(final Map<String, Object> serdeConfig) {
        final RegistryAvroSerde<PuzzleSolution> serde = new RegistryAvroSerde<>(PuzzleSolution.class);
        serde.configure(serdeConfig, false);
        return serde.serializer();
    }
}
