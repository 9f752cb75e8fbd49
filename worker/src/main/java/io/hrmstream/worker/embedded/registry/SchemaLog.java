package io.hrmstream.worker.embedded.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hrmstream.worker.embedded.TopicReplication;
import io.hrmstream.worker.embedded.TopicSetup;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The registry's durable state: the compacted, single-partition topic {@code _schemas}, in Confluent Schema Registry's
 * own record format (JSON keys {@code {"keytype":"SCHEMA","subject":..,"version":..,"magic":1}} and
 * {@code {"keytype":"CONFIG","subject":..,"magic":0}}), so the topic can be read by, or handed over to, a real one.
 *
 * <p>The registry that opens this log is its only writer: it replays the topic once at start and afterwards applies
 * each of its own writes once the broker has acknowledged it. Two development registries on one cluster are not
 * supported.
 */
final class SchemaLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaLog.class);

    static final String TOPIC = "_schemas";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A change to the registry's state, as one record of {@code _schemas}. */
    sealed interface Entry permits SchemaEntry, ConfigEntry {
    }

    /** Version {@code version} of {@code subject} is the schema {@code id}, whose text is {@code schema}. */
    record SchemaEntry(String subject, int version, int id, String schema) implements Entry {
    }

    /** The compatibility level of {@code subject}, or the global one when {@code subject} is null. */
    record ConfigEntry(String subject, CompatibilityLevel level) implements Entry {
    }

    private final String bootstrapServers;
    private final KafkaProducer<byte[], byte[]> producer;

    private SchemaLog(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                // one synchronous write per REST call: nothing to batch, so do not wait for more
                ProducerConfig.LINGER_MS_CONFIG, 0,
                // a REST call should fail within half a minute, not the default two
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, TIMEOUT.toMillis()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Creates {@code _schemas} if it is missing (compacted, one partition, replicated like the cluster allows). */
    static SchemaLog open(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            int brokers = admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            TopicSetup.ensureExist(admin, List.of(TopicSetup.newTopic(TOPIC, 1, TopicReplication.forBrokers(brokers),
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + TOPIC, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " to create " + TOPIC, e);
        }
        return new SchemaLog(bootstrapServers);
    }

    /** Reads the topic from its first record to its current end, handing every entry it understands to {@code apply}. */
    void replay(Consumer<Entry> apply) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                // the registry assigns the partition itself and never commits: it always reads the whole topic
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // open() created the topic; a missing one is an error, not something to create with defaults
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
            long end = consumer.endOffsets(List.of(PARTITION), TIMEOUT).get(PARTITION);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            int records = 0;
            while (consumer.position(PARTITION, TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + TOPIC + " up to offset " + end + " within "
                            + TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records++;
                    decode(record).ifPresent(apply);
                }
            }
            LOG.info("Read {} records of {} (end offset {})", records, TOPIC, end);
        }
    }

    /** Writes {@code entry} and waits until every in-sync replica has it. */
    void append(Entry entry) {
        ObjectNode key = JSON.createObjectNode();
        ObjectNode value = JSON.createObjectNode();
        if (entry instanceof SchemaEntry schema) {
            key.put("keytype", "SCHEMA").put("subject", schema.subject()).put("version", schema.version()).put("magic", 1);
            value.put("subject", schema.subject()).put("version", schema.version()).put("id", schema.id())
                    .put("schema", schema.schema()).put("deleted", false);
        } else if (entry instanceof ConfigEntry config) {
            key.put("keytype", "CONFIG").put("subject", config.subject()).put("magic", 0);
            value.put("compatibilityLevel", config.level().name());
        }
        try {
            producer.send(new ProducerRecord<>(TOPIC, 0, JSON.writeValueAsBytes(key), JSON.writeValueAsBytes(value)))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.storeError("writing to " + TOPIC, e);
        } catch (ExecutionException e) {
            throw RegistryException.storeError("writing to " + TOPIC, e.getCause());
        } catch (TimeoutException | IOException e) {
            throw RegistryException.storeError("writing to " + TOPIC, e);
        }
    }

    private static Optional<Entry> decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            JsonNode key = JSON.readTree(record.key());
            JsonNode value = record.value() == null ? null : JSON.readTree(record.value());
            String keytype = key.path("keytype").asText();
            if (value == null) {
                // a tombstone: this registry never deletes, a real one may have; nothing to restore
                return Optional.empty();
            }
            switch (keytype) {
                case "SCHEMA":
                    if (value.path("deleted").asBoolean(false)) {
                        return Optional.empty();
                    }
                    return Optional.of(new SchemaEntry(value.get("subject").asText(), value.get("version").asInt(),
                            value.get("id").asInt(), value.get("schema").asText()));
                case "CONFIG":
                    JsonNode subject = key.get("subject");
                    return CompatibilityLevel.parse(value.path("compatibilityLevel").asText(null))
                            .map(level -> new ConfigEntry(subject == null || subject.isNull() ? null : subject.asText(), level));
                default:
                    // NOOP, DELETE_SUBJECT, MODE ... written by a real registry: not part of this one's state
                    return Optional.empty();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Skipping unreadable record at offset {} of {}: {}", record.offset(), TOPIC, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        producer.close(TIMEOUT);
    }
}
