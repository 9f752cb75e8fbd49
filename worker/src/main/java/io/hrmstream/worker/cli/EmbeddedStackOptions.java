package io.hrmstream.worker.cli;

import io.hrmstream.worker.embedded.EmbeddedKafkaConfig;
import io.hrmstream.worker.embedded.EmbeddedStackConfig;
import io.hrmstream.worker.embedded.TopicSetup;
import io.hrmstream.worker.embedded.registry.DevSchemaRegistry;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/**
 * The flags of the embedded development stack (ports, data directory, partitions), shared by every command that
 * starts one ({@code dev-cluster}, {@code run --embedded}) as a picocli mixin.
 */
public final class EmbeddedStackOptions {

    @Option(names = "--host", defaultValue = EmbeddedKafkaConfig.DEFAULT_HOST,
            description = "Interface the broker(s) and the registry listen on and advertise (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--kafka-port", defaultValue = "" + EmbeddedKafkaConfig.DEFAULT_PORT,
            description = "Port of the first broker; further brokers take the next ports, skipping the controller's; 0 picks free ports (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--controller-port", defaultValue = "" + EmbeddedKafkaConfig.DEFAULT_CONTROLLER_PORT,
            description = "Port of the KRaft controller; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--registry-port", defaultValue = "" + DevSchemaRegistry.DEFAULT_PORT,
            description = "Port of the development schema registry; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--data-dir", defaultValue = "data",
            description = "Kafka's data; formatted on the first start, reused afterwards, so topics and schemas survive a restart (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--partitions", defaultValue = "" + TopicSetup.DEFAULT_PARTITIONS,
            description = "Partitions of hrm.requests, hrm.solutions and hrm.requests.dlq when they are created (default: ${DEFAULT-VALUE}).")
    int partitions;

    /** The stack these flags describe, with {@code brokers} brokers. */
    public EmbeddedStackConfig toConfig(int brokers) {
        EmbeddedKafkaConfig kafka = new EmbeddedKafkaConfig(brokers, host, kafkaPort, controllerPort, dataDir, Map.of());
        return new EmbeddedStackConfig(kafka, host, registryPort, partitions);
    }
}
