package io.hrmstream.worker.embedded;

import io.hrmstream.worker.embedded.registry.DevSchemaRegistry;
import io.hrmstream.worker.ops.PortCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything a worker needs on one machine, started in order: the Kafka cluster (in this JVM, or one process per
 * node), the topics {@code hrm.requests}, {@code hrm.solutions} and {@code hrm.requests.dlq}, and the development
 * schema registry (unless it runs as a process of its own). Closed in reverse order.
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

    /** How the stack's Kafka cluster runs: {@link EmbeddedKafkaCluster#start} or {@link KafkaNodeProcesses#start}. */
    @FunctionalInterface
    public interface ClusterStarter {
        DevKafkaCluster start(EmbeddedKafkaConfig config);
    }

    private final DevKafkaCluster kafka;
    private final Optional<DevSchemaRegistry> registry;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedStack(DevKafkaCluster kafka, Optional<DevSchemaRegistry> registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /**
     * Starts the cluster in this JVM, creates the missing topics, starts the registry; on any failure stops what
     * started.
     */
    public static EmbeddedStack start(EmbeddedStackConfig config) {
        return start(config, EmbeddedKafkaCluster::start, true);
    }

    /**
     * Starts the cluster with {@code starter}, creates the missing topics, and starts the registry unless
     * {@code withRegistry} is false (a registry run as a process of its own: {@code dev-cluster --registry-only});
     * on any failure stops what started.
     */
    public static EmbeddedStack start(EmbeddedStackConfig config, ClusterStarter starter, boolean withRegistry) {
        requirePortsFree(config, withRegistry);
        DevKafkaCluster kafka = starter.start(config.kafka());
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                TopicSetup.ensureExist(admin, TopicSetup.newTopics(config.partitions(), kafka.topicReplication()));
            }
            Optional<DevSchemaRegistry> registry = withRegistry
                    ? Optional.of(DevSchemaRegistry.start(kafka.bootstrapServers(), config.registryHost(), config.registryPort()))
                    : Optional.empty();
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
        requirePortsFree(config, true);
    }

    private static void requirePortsFree(EmbeddedStackConfig config, boolean withRegistry) {
        EmbeddedKafkaCluster.requirePortsFree(config.kafka());
        if (withRegistry) {
            PortCheck.requireFree(config.registryHost(), config.registryPort(),
                    "the development schema registry (--registry-port)");
        }
    }

    /** For {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /**
     * For {@code schema.registry.url}.
     *
     * @throws IllegalStateException when the stack was started without its registry
     */
    public String registryUrl() {
        return registry.orElseThrow(() -> new IllegalStateException("started without a schema registry")).url();
    }

    public DevKafkaCluster kafka() {
        return kafka;
    }

    /** Empty when the stack was started without its registry. */
    public Optional<DevSchemaRegistry> registry() {
        return registry;
    }

    /** Stops the registry, then the cluster. Safe to call twice (e.g. from a shutdown hook and a finally block). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            registry.ifPresent(DevSchemaRegistry::close);
        } catch (RuntimeException e) {
            LOG.warn("Schema registry did not stop cleanly", e);
        } finally {
            kafka.close();
        }
    }
}
