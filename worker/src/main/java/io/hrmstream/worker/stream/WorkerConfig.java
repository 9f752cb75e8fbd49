package io.hrmstream.worker.stream;

import io.hrmstream.schemas.serde.SerdeConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Everything the worker needs to run, and the Streams configuration derived from it.
 *
 * @param bootstrapServers    Kafka bootstrap servers
 * @param schemaRegistryUrl   the Schema Registry (Confluent REST API) the serdes talk to
 * @param applicationId       Streams application.id: consumer group, transactional ids, internal topic prefix
 * @param workerId            reported in every solution
 * @param processingGuarantee {@link StreamsConfig#EXACTLY_ONCE_V2} or {@link StreamsConfig#AT_LEAST_ONCE}
 * @param stateDir            where the in-flight store lives (RocksDB)
 * @param maxInFlightPerTask  puzzles one stream task may have in the engine before it stops taking records
 * @param engineWait          how long a full task waits for the engine to complete one puzzle before failing
 * @param forwardInterval     period of the wall-clock punctuator that forwards completed solutions
 * @param overrides           Kafka, Streams and serde properties passed through as given; they win
 * @param guessScaling        views raced when a first answer fails its verifier
 * @param arcVoting           ARC requests run as their task's augmented copies and answered by the official vote
 */
public record WorkerConfig(String bootstrapServers, String schemaRegistryUrl, String applicationId, String workerId,
                           String processingGuarantee, Path stateDir, int maxInFlightPerTask, Duration engineWait,
                           Duration forwardInterval, Map<String, String> overrides, GuessScaling guessScaling,
                           ArcVoting arcVoting) {

    public static final String DEFAULT_APPLICATION_ID = "hrm-worker";
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_TASK = 256;
    public static final Duration DEFAULT_ENGINE_WAIT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_FORWARD_INTERVAL = Duration.ofMillis(10);

    public WorkerConfig {
        if (!StreamsConfig.EXACTLY_ONCE_V2.equals(processingGuarantee)
                && !StreamsConfig.AT_LEAST_ONCE.equals(processingGuarantee)) {
            throw new IllegalArgumentException("processing guarantee must be " + StreamsConfig.EXACTLY_ONCE_V2
                    + " or " + StreamsConfig.AT_LEAST_ONCE + ", was " + processingGuarantee);
        }
        if (maxInFlightPerTask < 1) {
            throw new IllegalArgumentException("maxInFlightPerTask must be >= 1, was " + maxInFlightPerTask);
        }
        overrides = Map.copyOf(overrides);
        guessScaling = guessScaling == null ? GuessScaling.defaults() : guessScaling;
        arcVoting = arcVoting == null ? ArcVoting.off() : arcVoting;
    }

    /** Without ARC voting ({@link ArcVoting#off()}). */
    public WorkerConfig(String bootstrapServers, String schemaRegistryUrl, String applicationId, String workerId,
                        String processingGuarantee, Path stateDir, int maxInFlightPerTask, Duration engineWait,
                        Duration forwardInterval, Map<String, String> overrides, GuessScaling guessScaling) {
        this(bootstrapServers, schemaRegistryUrl, applicationId, workerId, processingGuarantee, stateDir,
                maxInFlightPerTask, engineWait, forwardInterval, overrides, guessScaling, ArcVoting.off());
    }

    /** This configuration with ARC voting as given. */
    public WorkerConfig withArcVoting(final ArcVoting voting) {
        return new WorkerConfig(bootstrapServers, schemaRegistryUrl, applicationId, workerId, processingGuarantee,
                stateDir, maxInFlightPerTask, engineWait, forwardInterval, overrides, guessScaling, voting);
    }

    /** With the default guess scaling ({@link GuessScaling#defaults()}). */
    public WorkerConfig(String bootstrapServers, String schemaRegistryUrl, String applicationId, String workerId,
                        String processingGuarantee, Path stateDir, int maxInFlightPerTask, Duration engineWait,
                        Duration forwardInterval, Map<String, String> overrides) {
        this(bootstrapServers, schemaRegistryUrl, applicationId, workerId, processingGuarantee, stateDir,
                maxInFlightPerTask, engineWait, forwardInterval, overrides, GuessScaling.defaults());
    }

    /** The Streams properties: our settings first, then {@link #overrides} on top. */
    public Properties streamsProperties() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // default at_least_once would answer a request twice after a crash; exactly_once_v2 commits the
        // solution, the store delete and the input offset in one transaction
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        // read_committed consumers see a solution only when its transaction commits: the commit interval is
        // the main latency knob under exactly_once_v2 (its default there is 100 ms)
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
        // the forwarding punctuator runs only between polls, and an idle stream thread blocks in poll() for
        // up to poll.ms (default 100 ms): a short poll lets an answer leave within about one forward interval
        props.put(StreamsConfig.POLL_MS_CONFIG, 10);
        // Streams raises the producer's linger.ms to 100 ms, which delays every at_least_once answer by that
        // much; the punctuator already forwards completed solutions together, so little batching is lost
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        // a record too large to write must not stop the worker: a truncated dead letter replaces it
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, OversizedRecordHandler.class.getName());
        props.putAll(overrides);
        return props;
    }

    /**
     * The static group membership id, when {@code group.instance.id} is set (Streams gives each stream thread's
     * consumer this id plus {@code -<thread index>}); empty for a dynamic member.
     */
    public Optional<String> groupInstanceId() {
        return Optional.ofNullable(streamsProperties().getProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
    }

    /** The serdes' configuration: the registry URL, then {@link #overrides} (registry auth and the like). */
    public Map<String, Object> serdeConfig() {
        final Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl);
        config.putAll(overrides);
        return config;
    }
}
