package io.hrmstream.worker.embedded;

import io.hrmstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("slow")   // starts brokers or child JVMs: the slow lane
public class EmbeddedKafkaClusterTest {

    @TempDir
    static Path sharedDir;
    static EmbeddedKafkaCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaConfig.ephemeral(sharedDir.resolve("kafka")));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void oneBrokerClusterListensOnAnEphemeralPortOfLoopback() {
        String bootstrap = cluster.bootstrapServers();
        assertTrue(bootstrap.startsWith("127.0.0.1:"), bootstrap);
        assertNotEquals("127.0.0.1:9092", bootstrap);
        assertEquals(1, cluster.brokerCount());
        assertEquals(new TopicReplication((short) 1, 1), cluster.topicReplication());
    }

    @Test
    void recordsProducedWithAcksAllAreConsumedByAGroup() throws Exception {
        String topic = "produce-consume";
        try (Admin admin = admin(cluster)) {
            TopicSetup.ensureExist(admin, List.of(new NewTopic(topic, 3, (short) 1)));
        }
        List<String> sent = produce(cluster, topic, 20);
        assertEquals(sent, consume(cluster, topic, sent.size()).stream().sorted().toList());
    }

    @Test
    void hrmTopicsAreCreatedOnceWithSixPartitionsAndRecreatingThemIsHarmless() throws Exception {
        try (Admin admin = admin(cluster)) {
            List<NewTopic> topics = TopicSetup.newTopics(TopicSetup.DEFAULT_PARTITIONS, cluster.topicReplication());
            TopicSetup.ensureExist(admin, topics);
            TopicSetup.ensureExist(admin, topics);

            Map<String, TopicDescription> described = admin.describeTopics(
                    List.of(Topics.REQUESTS, Topics.SOLUTIONS, Topics.REQUESTS_DLQ)).allTopicNames().get();
            for (TopicDescription description : described.values()) {
                assertEquals(6, description.partitions().size(), description.name());
                assertEquals(1, description.partitions().get(0).replicas().size(), description.name());
            }
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.REQUESTS)))
                    .all().get().values().iterator().next();
            assertEquals("1", config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
        }
    }

    @Test
    void recordsAndClusterIdSurviveARestartOnTheSameDataDirectory(@TempDir Path dataDir) throws Exception {
        String topic = "durable";
        List<String> sent;
        String clusterId;
        try (EmbeddedKafkaCluster first = EmbeddedKafkaCluster.start(EmbeddedKafkaConfig.ephemeral(dataDir))) {
            clusterId = first.clusterId();
            try (Admin admin = admin(first)) {
                TopicSetup.ensureExist(admin, List.of(new NewTopic(topic, 1, (short) 1)));
            }
            sent = produce(first, topic, 10);
        }
        try (EmbeddedKafkaCluster second = EmbeddedKafkaCluster.start(EmbeddedKafkaConfig.ephemeral(dataDir))) {
            assertEquals(clusterId, second.clusterId());
            assertEquals(sent, readFromStart(second, topic, sent.size()));
        }
    }

    @Test
    void aDataDirectoryOfAnotherLayoutIsRefusedBeforeAnythingStarts(@TempDir Path dataDir) throws Exception {
        Files.createDirectories(dataDir.resolve("broker-2"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EmbeddedKafkaCluster.start(EmbeddedKafkaConfig.ephemeral(dataDir)));
        assertTrue(e.getMessage().contains("broker-2"), e.getMessage());
    }

    @Test
    void threeBrokersGetOneSeparateControllerAndPortsThatSkipTheControllerPort(@TempDir Path dataDir) {
        EmbeddedKafkaConfig config = EmbeddedKafkaConfig.defaults(dataDir).withBrokers(3);
        List<EmbeddedKafkaCluster.NodeSpec> nodes = EmbeddedKafkaCluster.plan(config);
        assertEquals(List.of("controller", "broker", "broker", "broker"),
                nodes.stream().map(EmbeddedKafkaCluster.NodeSpec::roles).toList());
        assertEquals(9093, nodes.get(0).controllerPort());
        assertEquals(List.of(9092, 9094, 9095), nodes.stream().skip(1).map(EmbeddedKafkaCluster.NodeSpec::brokerPort).toList());
        assertEquals(new TopicReplication((short) 3, 2), TopicReplication.forBrokers(3));
    }

    static Admin admin(EmbeddedKafkaCluster cluster) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    static List<String> produce(EmbeddedKafkaCluster cluster, String topic, int count) throws Exception {
        return produce(cluster.bootstrapServers(), topic, count);
    }

    /** Writes {@code count} values with acks=all, one at a time, and returns them. */
    public static List<String> produce(String bootstrapServers, String topic, int count) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all");
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                String value = String.format("value-%03d", i);
                producer.send(new ProducerRecord<>(topic, "key-" + i, value)).get();
                values.add(value);
            }
        }
        return values;
    }

    /** Reads a topic from its first offset without a consumer group (no offsets topic to create). */
    static List<String> readFromStart(EmbeddedKafkaCluster cluster, String topic, int expected) {
        return readFromStart(cluster.bootstrapServers(), topic, expected);
    }

    public static List<String> readFromStart(String bootstrapServers, String topic, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    static List<String> consume(EmbeddedKafkaCluster cluster, String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
