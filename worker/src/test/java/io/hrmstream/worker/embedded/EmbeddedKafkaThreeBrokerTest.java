package io.hrmstream.worker.embedded;

import io.hrmstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Three brokers and one separate controller: what {@code dev-cluster --brokers 3} runs. */
@Tag("slow")   // starts brokers or child JVMs: the slow lane
class EmbeddedKafkaThreeBrokerTest {

    @TempDir
    static Path dataDir;
    static EmbeddedKafkaCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaConfig.ephemeral(dataDir).withBrokers(3));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void hrmTopicsGetThreeInSyncReplicasAndMinInsyncReplicasTwo() throws Exception {
        assertEquals(3, cluster.bootstrapServers().split(",").length);
        try (Admin admin = EmbeddedKafkaClusterTest.admin(cluster)) {
            assertEquals(3, admin.describeCluster().nodes().get().size());
            TopicSetup.ensureExist(admin, TopicSetup.newTopics(TopicSetup.DEFAULT_PARTITIONS, cluster.topicReplication()));

            TopicDescription requests = admin.describeTopics(List.of(Topics.REQUESTS)).allTopicNames().get()
                    .get(Topics.REQUESTS);
            assertEquals(6, requests.partitions().size());
            for (TopicPartitionInfo partition : requests.partitions()) {
                assertEquals(3, partition.replicas().size());
            }
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.REQUESTS)))
                    .all().get().values().iterator().next();
            assertEquals("2", config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
        }
    }

    @Test
    void recordsWrittenWithAcksAllOnThreeReplicasAreReadBack() throws Exception {
        String topic = "replicated";
        try (Admin admin = EmbeddedKafkaClusterTest.admin(cluster)) {
            TopicSetup.ensureExist(admin, List.of(TopicSetup.newTopic(topic, 3, cluster.topicReplication(), java.util.Map.of())));
        }
        List<String> sent = EmbeddedKafkaClusterTest.produce(cluster, topic, 30);
        assertEquals(sent, EmbeddedKafkaClusterTest.readFromStart(cluster, topic, sent.size()).stream().sorted().toList());
    }
}
