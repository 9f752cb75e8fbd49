package io.hrmstream.worker.stream;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.Topics;
import io.hrmstream.schemas.serde.RegistryAvroDeserializer;
import io.hrmstream.schemas.serde.RegistryAvroSerializer;
import io.hrmstream.schemas.serde.SerdeConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** The clients a user of the worker would have: a producer of requests and read_committed consumers. */
public final class KafkaClients {

    private KafkaClients() {
    }

    /** Publishes PuzzleRequests with the registry serde, keyed by id, acks=all. */
    public static KafkaProducer<String, PuzzleRequest> requestProducer(final String bootstrap, final String registryUrl) {
        final Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                // one request at a time in the latency bench: send it now
                ProducerConfig.LINGER_MS_CONFIG, 0,
                SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        final RegistryAvroSerializer<PuzzleRequest> values = new RegistryAvroSerializer<>(PuzzleRequest.class);
        values.configure(config, false);
        return new KafkaProducer<>(config, new StringSerializer(), values);
    }

    /** Reads hrm.solutions from the beginning, committed transactions only, in a fresh consumer group. */
    public static KafkaConsumer<String, PuzzleSolution> solutionConsumer(final String bootstrap, final String registryUrl) {
        final Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // only solutions of committed transactions: what an exactly-once reader sees
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT),
                SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        final RegistryAvroDeserializer<PuzzleSolution> values = new RegistryAvroDeserializer<>(PuzzleSolution.class);
        values.configure(config, false);
        final KafkaConsumer<String, PuzzleSolution> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), values);
        consumer.subscribe(List.of(Topics.SOLUTIONS));
        return consumer;
    }

    public static KafkaConsumer<byte[], byte[]> deadLetterConsumer(final String bootstrap) {
        final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.REQUESTS_DLQ));
        return consumer;
    }

    /** Polls until {@code done} holds for what was read, or the timeout passes; returns what was read. */
    public static <K, V> List<ConsumerRecord<K, V>> pollUntil(final KafkaConsumer<K, V> consumer,
                                                       final Predicate<List<ConsumerRecord<K, V>>> done,
                                                       final Duration timeout) {
        final List<ConsumerRecord<K, V>> read = new ArrayList<>();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(read) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(read::add);
        }
        return read;
    }
}
