package io.hrmstream.worker.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import io.hrmstream.worker.ops.PortCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.coordinator.group.GroupCoordinatorConfig;
import org.apache.kafka.coordinator.share.ShareCoordinatorConfig;
import org.apache.kafka.coordinator.transaction.TransactionLogConfig;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.network.SocketServerConfigs;
import org.apache.kafka.raft.KRaftConfigs;
import org.apache.kafka.raft.QuorumConfig;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.config.ReplicationConfigs;
import org.apache.kafka.server.config.ServerLogConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Apache Kafka cluster (KRaft, the {@code kafka_2.13} server classes, not a mock and not the test kit) running
 * inside this JVM, for development and tests.
 *
 * <p>Layouts: one broker runs as a single combined broker+controller node (id 1); n brokers run as n broker-only
 * nodes (ids 1..n) plus one controller-only node (id 0). Three combined nodes are not offered: the KRaft probe saw
 * their raft IO threads die a few seconds after start, while brokers with a separate controller were stable.
 *
 * <p>Why in-process rather than child JVMs ({@code java -cp ... kafka.Kafka server.properties}): it starts in one to
 * two seconds instead of five, needs no classpath or JVM flags handed to a child, and cannot leave an orphan broker
 * behind when the parent dies. The price is shared fate (a broker's fatal error halts this JVM) and one shared Yammer
 * metrics registry for every node; both are acceptable for a development cluster. Worker processes that must survive
 * a broker, or a broker that must be killed on its own, belong on a cluster started by {@code dev-cluster} in a JVM
 * of its own, or on {@link KafkaNodeProcesses} ({@code dev-cluster --broker-processes}).
 *
 * <p>Why a static controller quorum ({@code controller.quorum.voters}, kraft.version 0) rather than a dynamic one
 * ({@code --standalone}): a dynamic quorum writes the controller's endpoint into the metadata log at format time,
 * so a restart on another (ephemeral) port would point the brokers at the old one. A static quorum is read from the
 * configuration on every start, and a development cluster never changes its controller membership.
 *
 * <p>Ephemeral ports: a port given as 0 is resolved before start by binding and releasing a free port, because the
 * quorum configuration must name the controller's port before the controller runs and the broker's bound port is not
 * exposed by {@link KafkaRaftServer}. Another process could take such a port in between; that is rare and fails the
 * start with a bind error rather than silently.
 *
 * <p>Storage: each node keeps its log directory (which is also its metadata log directory) in {@code dataDir/<role>-<id>}.
 * A directory without {@code meta.properties} is formatted with {@link Formatter} under the cluster id the other
 * nodes already have, or a new one; formatted directories are reused as they are, so topics and records survive a
 * restart.
 */
public final class EmbeddedKafkaCluster implements DevKafkaCluster {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int COMBINED_NODE_ID = 1;
    private static final int CONTROLLER_NODE_ID = 0;
    private static final Pattern NODE_DIRECTORY = Pattern.compile("(combined|controller|broker)-\\d+");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final String clusterId;
    private final String bootstrapServers;
    private final int brokerCount;
    private final List<KafkaRaftServer> brokerNodes;
    private final Optional<KafkaRaftServer> controllerNode;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaCluster(String clusterId, String bootstrapServers, int brokerCount,
                                 List<KafkaRaftServer> brokerNodes, Optional<KafkaRaftServer> controllerNode) {
        this.clusterId = clusterId;
        this.bootstrapServers = bootstrapServers;
        this.brokerCount = brokerCount;
        this.brokerNodes = brokerNodes;
        this.controllerNode = controllerNode;
    }

    /**
     * Formats what is new under the data directory, starts every node and returns once every broker is registered
     * and unfenced.
     *
     * @throws IllegalStateException when the data directory holds a cluster of another layout, or nodes of two
     *                               different clusters, or the cluster does not become ready in time
     */
    public static EmbeddedKafkaCluster start(EmbeddedKafkaConfig config) {
        long startedAt = System.nanoTime();
        List<NodeSpec> specs = plan(config);
        requirePortsFree(config.host(), specs);
        String clusterId = formatStorage(config.dataDir(), specs);
        String voters = voters(config.host(), specs);
        TopicReplication replication = TopicReplication.forBrokers(config.brokers());

        List<KafkaRaftServer> brokers = new ArrayList<>();
        Optional<KafkaRaftServer> controller = Optional.empty();
        String bootstrap = bootstrapServers(config.host(), specs);
        EmbeddedKafkaCluster cluster = null;
        try {
            // the controller first: a broker's startup blocks until the controller has unfenced it
            for (NodeSpec spec : specs) {
                if (!spec.isBroker()) {
                    KafkaRaftServer server = newServer(config, spec, voters, replication);
                    controller = Optional.of(server);
                    server.startup();
                }
            }
            for (NodeSpec spec : specs) {
                if (spec.isBroker()) {
                    brokers.add(newServer(config, spec, voters, replication));
                }
            }
            inParallel(brokers, KafkaRaftServer::startup);
            cluster = new EmbeddedKafkaCluster(clusterId, bootstrap, config.brokers(), List.copyOf(brokers), controller);
            awaitBrokersRegistered(bootstrap, specs.stream().filter(NodeSpec::isBroker).map(NodeSpec::id)
                    .collect(Collectors.toSet()), () -> { });
        } catch (RuntimeException e) {
            if (cluster == null) {
                cluster = new EmbeddedKafkaCluster(clusterId, bootstrap, config.brokers(), List.copyOf(brokers), controller);
            }
            cluster.close();
            throw e;
        }
        LOG.info("Kafka cluster {} ready on {} ({} broker(s){}, data in {}) after {} ms", clusterId, bootstrap,
                config.brokers(), config.brokers() > 1 ? " + 1 controller" : ", combined with the controller",
                config.dataDir().toAbsolutePath(), (System.nanoTime() - startedAt) / 1_000_000);
        return cluster;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String clusterId() {
        return clusterId;
    }

    public int brokerCount() {
        return brokerCount;
    }

    @Override
    public TopicReplication topicReplication() {
        return TopicReplication.forBrokers(brokerCount);
    }

    /** Stops the brokers (controlled shutdown, in parallel), then the controller. Safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long stoppingAt = System.nanoTime();
        // brokers before the controller: a broker's controlled shutdown needs the controller's answer
        inParallel(brokerNodes, server -> {
            server.shutdown();
            server.awaitShutdown();
        });
        controllerNode.ifPresent(server -> {
            server.shutdown();
            server.awaitShutdown();
        });
        LOG.info("Kafka cluster {} stopped after {} ms", clusterId, (System.nanoTime() - stoppingAt) / 1_000_000);
    }

    /**
     * Returns once the brokers {@code ids} are registered and unfenced; {@code stillStarting} is called between
     * polls and throws when a node can no longer come up (a node process that exited).
     */
    static void awaitBrokersRegistered(String bootstrapServers, Set<Integer> ids, Runnable stillStarting) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (true) {
                Set<Integer> registered = Set.of();
                try {
                    registered = admin.describeCluster().nodes().get(1, TimeUnit.SECONDS).stream()
                            .map(Node::id).collect(Collectors.toSet());
                } catch (java.util.concurrent.TimeoutException | ExecutionException notYet) {
                    // no broker answers yet: keep polling until the deadline
                }
                if (registered.containsAll(ids)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("brokers " + registered + " of " + new TreeSet<>(ids)
                            + " registered within " + READY_TIMEOUT.toSeconds() + " s");
                }
                stillStarting.run();
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the brokers", e);
        }
    }

    /**
     * Checks the ports the configured nodes would listen on, before any starts.
     *
     * @throws PortCheck.PortInUseException naming the first busy port and the node that wanted it
     */
    public static void requirePortsFree(EmbeddedKafkaConfig config) {
        requirePortsFree(config.host(), plan(config));
    }

    /** {@code id@host:port} of the controller node, for {@code controller.quorum.voters}. */
    static String voters(String host, List<NodeSpec> specs) {
        return specs.stream()
                .filter(NodeSpec::isController)
                .map(n -> n.id() + "@" + host + ":" + n.controllerPort())
                .collect(Collectors.joining(","));
    }

    /** {@code host:port} of every broker node, comma-separated. */
    static String bootstrapServers(String host, List<NodeSpec> specs) {
        return specs.stream()
                .filter(NodeSpec::isBroker)
                .map(n -> host + ":" + n.brokerPort())
                .collect(Collectors.joining(","));
    }

    static void requirePortsFree(String host, List<NodeSpec> specs) {
        for (NodeSpec spec : specs) {
            if (spec.isController()) {
                PortCheck.requireFree(host, spec.controllerPort(), "the KRaft controller (--controller-port)");
            }
            if (spec.isBroker()) {
                PortCheck.requireFree(host, spec.brokerPort(), specs.size() == 1 ? "the Kafka broker (--kafka-port)"
                        : "Kafka broker " + spec.id() + " (--kafka-port and the ports after it)");
            }
        }
    }

    /** The nodes of the configured layout, with every port 0 replaced by a free port. */
    static List<NodeSpec> plan(EmbeddedKafkaConfig config) {
        Path dataDir = config.dataDir();
        int brokers = config.brokers();
        List<Integer> ephemeral = freePorts(config.host(),
                (config.controllerPort() == 0 ? 1 : 0) + (config.port() == 0 ? brokers : 0));
        int next = 0;
        int controllerPort = config.controllerPort() == 0 ? ephemeral.get(next++) : config.controllerPort();
        List<Integer> brokerPorts = new ArrayList<>();
        if (config.port() == 0) {
            brokerPorts.addAll(ephemeral.subList(next, next + brokers));
        } else {
            for (int port = config.port(); brokerPorts.size() < brokers; port++) {
                if (port != controllerPort) {
                    brokerPorts.add(port);
                }
            }
        }
        if (brokers == 1) {
            return List.of(new NodeSpec(COMBINED_NODE_ID, "broker,controller",
                    dataDir.resolve("combined-" + COMBINED_NODE_ID), brokerPorts.get(0), controllerPort));
        }
        List<NodeSpec> specs = new ArrayList<>();
        specs.add(new NodeSpec(CONTROLLER_NODE_ID, "controller",
                dataDir.resolve("controller-" + CONTROLLER_NODE_ID), -1, controllerPort));
        for (int i = 0; i < brokers; i++) {
            int id = i + 1;
            specs.add(new NodeSpec(id, "broker", dataDir.resolve("broker-" + id), brokerPorts.get(i), -1));
        }
        return List.copyOf(specs);
    }

    /**
     * Formats every node directory that has no {@code meta.properties} yet and returns the cluster id, which is the
     * one already on disk if any node was formatted before.
     */
    static String formatStorage(Path dataDir, List<NodeSpec> specs) {
        try {
            Files.createDirectories(dataDir);
            Set<String> expected = specs.stream().map(n -> n.dir().getFileName().toString()).collect(Collectors.toSet());
            try (Stream<Path> children = Files.list(dataDir)) {
                List<String> foreign = children.map(p -> p.getFileName().toString())
                        .filter(name -> NODE_DIRECTORY.matcher(name).matches() && !expected.contains(name))
                        .sorted().toList();
                if (!foreign.isEmpty()) {
                    throw new IllegalStateException("data directory " + dataDir.toAbsolutePath() + " holds nodes "
                            + foreign + " of another cluster layout than " + expected.stream().sorted().toList()
                            + "; start with the same number of brokers as before, or use another data directory");
                }
            }
            Set<String> clusterIds = new TreeSet<>();
            List<NodeSpec> unformatted = new ArrayList<>();
            for (NodeSpec spec : specs) {
                Optional<String> existing = Files.exists(spec.dir().resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))
                        ? new MetaPropertiesEnsemble.Loader().addLogDirs(List.of(spec.dir().toString())).load().clusterId()
                        : Optional.empty();
                existing.ifPresentOrElse(clusterIds::add, () -> unformatted.add(spec));
            }
            if (clusterIds.size() > 1) {
                throw new IllegalStateException("data directory " + dataDir.toAbsolutePath()
                        + " holds nodes of different clusters " + clusterIds);
            }
            String clusterId = clusterIds.isEmpty() ? Uuid.randomUuid().toString() : clusterIds.iterator().next();
            for (NodeSpec spec : unformatted) {
                format(spec, clusterId);
            }
            return clusterId;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka data directory " + dataDir.toAbsolutePath(), e);
        }
    }

    private static void format(NodeSpec spec, String clusterId) {
        // the Formatter prints its progress; send it to our log instead of stdout
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(progress, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(out)
                    .setNodeId(spec.id())
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .addDirectory(spec.dir().toString())
                    .setMetadataLogDirectory(spec.dir().toString())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format " + spec.dir().toAbsolutePath() + ": " + e.getMessage(), e);
        }
        progress.toString(StandardCharsets.UTF_8).lines().forEach(line -> LOG.debug("format node {}: {}", spec.id(), line));
        LOG.info("Formatted {} for node {} of cluster {}", spec.dir().toAbsolutePath(), spec.id(), clusterId);
    }

    private static KafkaRaftServer newServer(EmbeddedKafkaConfig config, NodeSpec spec, String voters,
                                             TopicReplication replication) {
        // doLog=false: the full configuration dump would be hundreds of INFO lines per node
        return new KafkaRaftServer(new KafkaConfig(serverProperties(config, spec, voters, replication), false),
                Time.SYSTEM);
    }

    /** The server properties of one node: the same whether it runs in this JVM or as a process of its own. */
    static Map<String, String> serverProperties(EmbeddedKafkaConfig config, NodeSpec spec, String voters,
                                                TopicReplication replication) {
        // every value as text: ConfigDef parses text for any type, but insists on the exact boxed type otherwise
        Map<String, String> props = new HashMap<>();
        props.put(KRaftConfigs.PROCESS_ROLES_CONFIG, spec.roles());
        props.put(KRaftConfigs.NODE_ID_CONFIG, Integer.toString(spec.id()));
        props.put(QuorumConfig.QUORUM_VOTERS_CONFIG, voters);
        props.put(KRaftConfigs.CONTROLLER_LISTENER_NAMES_CONFIG, CONTROLLER_LISTENER);
        props.put(SocketServerConfigs.LISTENER_SECURITY_PROTOCOL_MAP_CONFIG,
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        List<String> listeners = new ArrayList<>();
        if (spec.isBroker()) {
            listeners.add(BROKER_LISTENER + "://" + config.host() + ":" + spec.brokerPort());
        }
        if (spec.isController()) {
            listeners.add(CONTROLLER_LISTENER + "://" + config.host() + ":" + spec.controllerPort());
        }
        props.put(SocketServerConfigs.LISTENERS_CONFIG, String.join(",", listeners));
        props.put(ReplicationConfigs.INTER_BROKER_LISTENER_NAME_CONFIG, BROKER_LISTENER);
        props.put(ServerLogConfigs.LOG_DIRS_CONFIG, spec.dir().toAbsolutePath().toString());
        // the internal topics default to RF 3; on fewer brokers they would never be created (consumer groups and
        // transactions would then hang), so they follow the cluster's size like our own topics
        props.put(GroupCoordinatorConfig.OFFSETS_TOPIC_REPLICATION_FACTOR_CONFIG, Short.toString(replication.factor()));
        props.put(TransactionLogConfig.TRANSACTIONS_TOPIC_REPLICATION_FACTOR_CONFIG, Short.toString(replication.factor()));
        props.put(TransactionLogConfig.TRANSACTIONS_TOPIC_MIN_ISR_CONFIG, Integer.toString(replication.minInsyncReplicas()));
        props.put(ShareCoordinatorConfig.STATE_TOPIC_REPLICATION_FACTOR_CONFIG, Short.toString(replication.factor()));
        props.put(ShareCoordinatorConfig.STATE_TOPIC_MIN_ISR_CONFIG, Integer.toString(replication.minInsyncReplicas()));
        if (spec.isController()) {
            // topics created without a replication factor (Kafka Streams' changelog and repartition topics) get the
            // same; in KRaft the controller applies this default, and brokers warn that they ignore it
            props.put(ReplicationConfigs.DEFAULT_REPLICATION_FACTOR_CONFIG, Short.toString(replication.factor()));
        }
        props.put(ServerLogConfigs.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(replication.minInsyncReplicas()));
        // a development cluster has no stragglers to wait for: the first consumer of a group starts at once
        props.put(GroupCoordinatorConfig.GROUP_INITIAL_REBALANCE_DELAY_MS_CONFIG, "0");
        props.putAll(config.brokerOverrides());
        return props;
    }

    private static List<Integer> freePorts(String host, int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            InetAddress address = InetAddress.getByName(host);
            // hold every socket until all are bound, so the same port is not handed out twice
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, address));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + host, e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // a socket we only bound to learn a port number
                }
            }
        }
    }

    private static void inParallel(List<KafkaRaftServer> servers, Consumer<KafkaRaftServer> action) {
        if (servers.size() == 1) {
            action.accept(servers.get(0));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, servers.size()));
        try {
            CompletableFuture.allOf(servers.stream()
                    .map(server -> CompletableFuture.runAsync(() -> action.accept(server), pool))
                    .toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdown();
        }
    }

    /**
     * One node of the layout.
     *
     * @param roles          {@code process.roles}
     * @param brokerPort     the broker listener's port, -1 on a controller-only node
     * @param controllerPort the controller listener's port, -1 on a broker-only node
     */
    record NodeSpec(int id, String roles, Path dir, int brokerPort, int controllerPort) {
        boolean isBroker() {
            return brokerPort >= 0;
        }

        boolean isController() {
            return controllerPort >= 0;
        }

        /** The name of its directory, e.g. {@code broker-2}. */
        String name() {
            return dir.getFileName().toString();
        }
    }
}
