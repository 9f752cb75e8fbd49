package io.hrmstream.worker.embedded;

import io.hrmstream.worker.embedded.EmbeddedKafkaCluster.NodeSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The development cluster of {@link EmbeddedKafkaCluster}, same layout, ports, storage and settings, but each node
 * a JVM of its own running {@code kafka.Kafka} (through {@link KafkaNodeMain}) on this JVM's class path, so that one
 * broker can be killed and restarted while the others, the registry and the workers go on: broker loss as a case
 * one can run. The controller is a separate node (as in {@code --brokers 3} in this JVM) and a process too.
 *
 * <p>Each node's server properties are written to {@code dataDir/<node>.properties} and its output to
 * {@code dataDir/<node>.log}, so a node can also be restarted by hand after a kill: {@link #restartCommand}.
 * A node process exits when the process that started it does (even after a SIGKILL), so none is left behind.
 *
 * <p>Why not always processes: four JVMs start in ten to twenty seconds on a small machine instead of two, and
 * in this JVM a test can reach the servers; processes are for what needs one broker to die alone.
 */
public final class KafkaNodeProcesses implements DevKafkaCluster {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaNodeProcesses.class);

    /**
     * A broker's heap: Kafka's own start script gives 1 GiB; a development node with a few topics needs far less,
     * and four of them share a laptop with the workers.
     */
    private static final List<String> NODE_JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m",
            // the worker's logging (warnings only for Kafka), not a test's configuration on the same class path
            "-Dlog4j2.configurationFile=log4j2.xml");
    /** A broker's controlled shutdown moves its leaders away first; give it that long before killing it. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String clusterId;
    private final String host;
    private final String bootstrapServers;
    private final Map<Integer, NodeSpec> nodes;
    private final Map<Integer, Process> running = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private KafkaNodeProcesses(String clusterId, String host, List<NodeSpec> specs) {
        this.clusterId = clusterId;
        this.host = host;
        this.bootstrapServers = EmbeddedKafkaCluster.bootstrapServers(host, specs);
        this.nodes = new TreeMap<>();
        specs.forEach(spec -> nodes.put(spec.id(), spec));
    }

    /**
     * Formats what is new under the data directory, writes each node's properties, starts every node process and
     * returns once every broker is registered and unfenced.
     *
     * @throws IllegalStateException when the data directory holds another layout, a node process exits during the
     *                               start, or the cluster does not become ready in time (every node is then stopped)
     */
    public static KafkaNodeProcesses start(EmbeddedKafkaConfig config) {
        long startedAt = System.nanoTime();
        List<NodeSpec> specs = EmbeddedKafkaCluster.plan(config);
        EmbeddedKafkaCluster.requirePortsFree(config.host(), specs);
        String clusterId = EmbeddedKafkaCluster.formatStorage(config.dataDir(), specs);
        String voters = EmbeddedKafkaCluster.voters(config.host(), specs);
        TopicReplication replication = TopicReplication.forBrokers(config.brokers());
        KafkaNodeProcesses cluster = new KafkaNodeProcesses(clusterId, config.host(), specs);
        try {
            for (NodeSpec spec : specs) {
                writeProperties(propertiesFile(spec),
                        EmbeddedKafkaCluster.serverProperties(config, spec, voters, replication));
            }
            // the controller first; brokers that start before it is up retry until it answers
            for (NodeSpec spec : specs) {
                if (!spec.isBroker()) {
                    cluster.launch(spec);
                }
            }
            for (NodeSpec spec : specs) {
                if (spec.isBroker()) {
                    cluster.launch(spec);
                }
            }
            EmbeddedKafkaCluster.awaitBrokersRegistered(cluster.bootstrapServers, Set.copyOf(cluster.brokerIds()),
                    cluster::requireAllAlive);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        LOG.info("Kafka cluster {} ready on {} ({} broker process(es) + {}, data in {}) after {} ms", clusterId,
                cluster.bootstrapServers, config.brokers(), config.brokers() > 1 ? "a controller process" : "none",
                config.dataDir().toAbsolutePath(), (System.nanoTime() - startedAt) / 1_000_000);
        return cluster;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public TopicReplication topicReplication() {
        return TopicReplication.forBrokers(brokerIds().size());
    }

    public String clusterId() {
        return clusterId;
    }

    /** The node ids of the brokers (1..n), in order. */
    public List<Integer> brokerIds() {
        return nodes.values().stream().filter(NodeSpec::isBroker).map(NodeSpec::id).toList();
    }

    /** Every node's id (the controller's is 0 when it is separate), in order. */
    public List<Integer> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    /** {@code broker-2}, {@code controller-0} or {@code combined-1}. */
    public String name(int nodeId) {
        return node(nodeId).name();
    }

    /** The node's process id while it runs. */
    public long pid(int nodeId) {
        Process process = running.get(nodeId);
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(name(nodeId) + " is not running");
        }
        return process.pid();
    }

    public boolean isRunning(int nodeId) {
        Process process = running.get(nodeId);
        return process != null && process.isAlive();
    }

    /** {@code host:port} of a broker's listener. */
    public String address(int brokerId) {
        return host + ":" + node(brokerId).brokerPort();
    }

    /** Where the node's output goes ({@code dataDir/<node>.log}, appended to across restarts). */
    public Path logFile(int nodeId) {
        return logFile(node(nodeId));
    }

    /**
     * The command that starts the node again by hand, from any shell, once it is gone. A node started so is the
     * shell's, not this cluster's: closing the cluster does not stop it (stop it with Ctrl-C or SIGTERM).
     */
    public String restartCommand(int nodeId) {
        return String.join(" ", javaCommand(node(nodeId), "kafka.Kafka"));
    }

    /** SIGKILL: the broker vanishes without a controlled shutdown, as in a lost host; returns once it is gone. */
    public void kill(int nodeId) {
        Process process = running.remove(nodeId);
        if (process == null) {
            throw new IllegalStateException(name(nodeId) + " is not running");
        }
        process.destroyForcibly();
        awaitExit(process, Duration.ofSeconds(30));
        LOG.info("Killed {} (pid {})", name(nodeId), process.pid());
    }

    /** Starts a node that was killed or had stopped, on its port and data, and returns once it is registered. */
    public void restart(int nodeId) {
        if (isRunning(nodeId)) {
            throw new IllegalStateException(name(nodeId) + " is running");
        }
        NodeSpec spec = node(nodeId);
        launch(spec);
        if (spec.isBroker()) {
            // asked of the node itself: the others list a killed broker until its session times out (9 s)
            EmbeddedKafkaCluster.awaitBrokersRegistered(address(nodeId), Set.of(nodeId), this::requireAllAlive);
        }
        LOG.info("Restarted {} (pid {})", spec.name(), pid(nodeId));
    }

    /** Stops the brokers (SIGTERM: a controlled shutdown, in parallel), then the controller. Safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long stoppingAt = System.nanoTime();
        // brokers before the controller: a broker's controlled shutdown needs the controller's answer
        CompletableFuture.allOf(nodes.values().stream().filter(NodeSpec::isBroker)
                .map(spec -> CompletableFuture.runAsync(() -> stop(spec)))
                .toArray(CompletableFuture[]::new)).join();
        nodes.values().stream().filter(spec -> !spec.isBroker()).forEach(this::stop);
        LOG.info("Kafka cluster {} stopped after {} ms", clusterId, (System.nanoTime() - stoppingAt) / 1_000_000);
    }

    private void stop(NodeSpec spec) {
        Process process = running.remove(spec.id());
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(process, STOP_TIMEOUT)) {
            LOG.warn("{} did not stop within {} s of SIGTERM; killing it", spec.name(), STOP_TIMEOUT.toSeconds());
            process.destroyForcibly();
            awaitExit(process, Duration.ofSeconds(30));
        }
    }

    private void launch(NodeSpec spec) {
        try {
            Process process = new ProcessBuilder(javaCommand(spec, KafkaNodeMain.class.getName()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(spec).toFile()))
                    .start();
            running.put(spec.id(), process);
            LOG.info("Started {} (pid {}), log in {}", spec.name(), process.pid(), logFile(spec).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + spec.name(), e);
        }
    }

    private void requireAllAlive() {
        for (Map.Entry<Integer, Process> node : running.entrySet()) {
            if (!node.getValue().isAlive()) {
                throw new IllegalStateException(name(node.getKey()) + " exited with " + node.getValue().exitValue()
                        + " while the cluster started; see " + logFile(node.getKey()).toAbsolutePath());
            }
        }
    }

    private static List<String> javaCommand(NodeSpec spec, String mainClass) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(NODE_JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass,
                propertiesFile(spec).toAbsolutePath().toString()));
        return command;
    }

    private NodeSpec node(int nodeId) {
        NodeSpec spec = nodes.get(nodeId);
        if (spec == null) {
            throw new IllegalArgumentException("no node " + nodeId + " in " + nodes.keySet());
        }
        return spec;
    }

    private static Path propertiesFile(NodeSpec spec) {
        return spec.dir().resolveSibling(spec.name() + ".properties");
    }

    private static Path logFile(NodeSpec spec) {
        return spec.dir().resolveSibling(spec.name() + ".log");
    }

    private static void writeProperties(Path file, Map<String, String> values) {
        Properties properties = new Properties();
        properties.putAll(values);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "written by hrm-worker dev-cluster; restart this node with kafka.Kafka " + file.getFileName());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.toAbsolutePath(), e);
        }
    }

    private static boolean awaitExit(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
