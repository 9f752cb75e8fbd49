package io.hrmstream.worker.embedded;

import io.hrmstream.worker.embedded.registry.DevSchemaRegistry;
import io.hrmstream.worker.ops.PortCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything a worker needs on one machine, started in order: the Kafka cluster, the topics {@code hrm.requests},
 * {@code hrm.solutions} and {@code hrm.requests.dlq}, and the development schema registry. Closed in reverse order.
 *
 * <pre>{@code
 * try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStackConfig.defaults(Path.of("data")))) {
 *     props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
 *     props.put("schema.registry.url", stack.registryUrl());
 *     ...
 * }
 * }</pre>
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

    private final EmbeddedKafkaCluster kafka;
    private final DevSchemaRegistry registry;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedStack(EmbeddedKafkaCluster kafka, DevSchemaRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Starts the cluster, creates the missing topics, starts the registry; on any failure stops what started. */
    public static EmbeddedStack start(EmbeddedStackConfig config) {
        requirePortsFree(config);
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(config.kafka());
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                TopicSetup.ensureExist(admin, TopicSetup.newTopics(config.partitions(), kafka.topicReplication()));
            }
            DevSchemaRegistry registry = DevSchemaRegistry.start(kafka.bootstrapServers(), config.registryHost(), config.registryPort());
            return new EmbeddedStack(kafka, registry);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /**
     * Checks every port the stack would listen on (brokers, controller, registry) before anything starts.
     *
     * @throws PortCheck.PortInUseException naming the first busy port and what wanted it
     */
    public static void requirePortsFree(EmbeddedStackConfig config) {
        EmbeddedKafkaCluster.requirePortsFree(config.kafka());
        PortCheck.requireFree(config.registryHost(), config.registryPort(),
                "the development schema registry (--registry-port)");
    }

    /** For {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** For {@code schema.registry.url}. */
    public String registryUrl() {
        return registry.url();
    }

    public EmbeddedKafkaCluster kafka() {
        return kafka;
    }

    public DevSchemaRegistry registry() {
        return registry;
    }

    /** Stops the registry, then the cluster. Safe to call twice (e.g. from a shutdown hook and a finally block). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            registry.close();
        } catch (RuntimeException e) {
            LOG.warn("Schema registry did not stop cleanly", e);
        } finally {
            kafka.close();
        }
    }
}
