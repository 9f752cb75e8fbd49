package io.hrmstream.worker.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how large the embedded development Kafka cluster is.
 *
 * @param brokers         1 runs one combined broker+controller node; more run that many brokers and one separate
 *                        KRaft controller
 * @param host            the interface every listener binds to and advertises
 * @param port            the first broker's port, 0 for an ephemeral one; further brokers take the next ports,
 *                        skipping the controller's (defaults: 9092, then 9094, 9095)
 * @param controllerPort  the KRaft controller's port, 0 for an ephemeral one
 * @param dataDir         holds one sub-directory per node; formatted on the first start, reused afterwards
 * @param brokerOverrides extra server properties for every node, applied last
 */
public record EmbeddedKafkaConfig(int brokers, String host, int port, int controllerPort, Path dataDir,
                                  Map<String, String> brokerOverrides) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;

    public EmbeddedKafkaConfig {
        if (brokers < 1) {
            throw new IllegalArgumentException("brokers must be at least 1, got " + brokers);
        }
        Objects.requireNonNull(host, "host");
        checkPort("port", port);
        checkPort("controllerPort", controllerPort);
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("the broker and the controller cannot share port " + port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        brokerOverrides = Map.copyOf(brokerOverrides);
    }

    /** One combined node on 127.0.0.1:9092 (controller on 9093), data under {@code dataDir}. */
    public static EmbeddedKafkaConfig defaults(Path dataDir) {
        return new EmbeddedKafkaConfig(1, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_CONTROLLER_PORT, dataDir, Map.of());
    }

    /** One combined node on ephemeral ports of 127.0.0.1, for tests. */
    public static EmbeddedKafkaConfig ephemeral(Path dataDir) {
        return new EmbeddedKafkaConfig(1, DEFAULT_HOST, 0, 0, dataDir, Map.of());
    }

    public EmbeddedKafkaConfig withBrokers(int brokers) {
        return new EmbeddedKafkaConfig(brokers, host, port, controllerPort, dataDir, brokerOverrides);
    }

    public EmbeddedKafkaConfig withPorts(int port, int controllerPort) {
        return new EmbeddedKafkaConfig(brokers, host, port, controllerPort, dataDir, brokerOverrides);
    }

    public EmbeddedKafkaConfig withHost(String host) {
        return new EmbeddedKafkaConfig(brokers, host, port, controllerPort, dataDir, brokerOverrides);
    }

    public EmbeddedKafkaConfig withBrokerOverrides(Map<String, String> overrides) {
        return new EmbeddedKafkaConfig(brokers, host, port, controllerPort, dataDir, overrides);
    }

    private static void checkPort(String name, int value) {
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException(name + " must be in [0, 65535], got " + value);
        }
    }
}
