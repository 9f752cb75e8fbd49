package io.hrmstream.worker.stream;

import io.hrmstream.worker.embedded.TopicReplication;
import io.hrmstream.worker.embedded.TopicSetup;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.nio.file.Path;
import java.util.Map;

/**
 * The end-to-end scenario on real images: Apache Kafka and Confluent's Schema Registry, so the serdes and
 * the worker are checked against Confluent's own registry. Skipped where Docker is not available.
 */
@Testcontainers(disabledWithoutDocker = true)
@Tag("slow")   // starts brokers or child JVMs: the slow lane
class WorkerEndToEndContainersTest {

    private static final Network NETWORK = Network.newNetwork();

    @Container
    private static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.0.0")
            .withNetwork(NETWORK)
            // a listener the registry container can reach by name
            .withListener("kafka:19092")
            .withNetworkAliases("kafka");

    @Container
    private static final GenericContainer<?> REGISTRY = new GenericContainer<>("confluentinc/cp-schema-registry:7.9.0")
            .withNetwork(NETWORK)
            .dependsOn(KAFKA)
            .withExposedPorts(8081)
            .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
            .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
            .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
            .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));

    @TempDir
    Path stateDir;

    @AfterAll
    static void closeNetwork() {
        NETWORK.close();
    }

    @Test
    void everyPublishedRequestIsAnsweredOnceAndAnUndecodableOneIsDeadLettered() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers()))) {
            TopicSetup.ensureExist(admin, TopicSetup.newTopics(3, TopicReplication.forBrokers(1)));
        }
        final String registryUrl = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081);
        EndToEndScenario.run(KAFKA.getBootstrapServers(), registryUrl, stateDir);
    }
}
