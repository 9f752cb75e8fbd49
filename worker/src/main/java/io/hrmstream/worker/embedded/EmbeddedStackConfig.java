package io.hrmstream.worker.embedded;

import io.hrmstream.worker.embedded.registry.DevSchemaRegistry;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The embedded development stack: a Kafka cluster, the development schema registry, and the product's topics.
 *
 * @param kafka        the cluster's layout, ports and data directory
 * @param registryHost the interface the schema registry serves on
 * @param registryPort its port, 0 for an ephemeral one
 * @param partitions   partitions of {@code hrm.requests}, {@code hrm.solutions} and {@code hrm.requests.dlq}
 *                     when they are created (existing topics are left as they are)
 */
public record EmbeddedStackConfig(EmbeddedKafkaConfig kafka, String registryHost, int registryPort, int partitions) {

    public EmbeddedStackConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(registryHost, "registryHost");
        if (registryPort < 0 || registryPort > 65535) {
            throw new IllegalArgumentException("registryPort must be in [0, 65535], got " + registryPort);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
    }

    /** Kafka on 127.0.0.1:9092 (controller 9093), the registry on 127.0.0.1:8081, 6 partitions a topic. */
    public static EmbeddedStackConfig defaults(Path dataDir) {
        return new EmbeddedStackConfig(EmbeddedKafkaConfig.defaults(dataDir), DevSchemaRegistry.DEFAULT_HOST,
                DevSchemaRegistry.DEFAULT_PORT, TopicSetup.DEFAULT_PARTITIONS);
    }

    /** Every port ephemeral, for tests. */
    public static EmbeddedStackConfig ephemeral(Path dataDir) {
        return new EmbeddedStackConfig(EmbeddedKafkaConfig.ephemeral(dataDir), DevSchemaRegistry.DEFAULT_HOST, 0,
                TopicSetup.DEFAULT_PARTITIONS);
    }

    public EmbeddedStackConfig withKafka(EmbeddedKafkaConfig kafka) {
        return new EmbeddedStackConfig(kafka, registryHost, registryPort, partitions);
    }

    public EmbeddedStackConfig withRegistry(String registryHost, int registryPort) {
        return new EmbeddedStackConfig(kafka, registryHost, registryPort, partitions);
    }

    public EmbeddedStackConfig withPartitions(int partitions) {
        return new EmbeddedStackConfig(kafka, registryHost, registryPort, partitions);
    }
}
