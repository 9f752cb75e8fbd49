package io.hrmstream.worker.cli;

import io.hrmstream.schemas.serde.SerdeConfig;
import io.hrmstream.worker.engine.SolverEngine;
import io.hrmstream.worker.stream.StreamsWorker;
import io.hrmstream.worker.stream.WorkerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code hrm-worker run}: runs the worker until SIGINT/SIGTERM. With {@code --embedded} it first starts a
 * development Kafka broker and schema registry in this JVM. Prints one line containing {@code ready} once
 * Streams is RUNNING, and on a signal closes Streams (which commits or aborts its open transaction), then the
 * engine, then the embedded stack.
 *
 * <p>Where a setting comes from, lowest first: built-in default, environment variable, {@code --config} file,
 * {@code --property}, explicit flag. Every property of the file and of {@code --property} is passed through
 * to Kafka Streams (and its clients, with Streams' prefixes) and to the registry serdes.
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {"Runs the worker: solves the puzzles of hrm.requests into hrm.solutions.",
                "Prints a line containing 'ready' when it takes requests; stops cleanly on SIGINT/SIGTERM."})
public final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(names = "--embedded",
            description = "Start a development Kafka broker (KRaft) and schema registry in this process first.")
    boolean embedded;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:HRM_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (env HRM_BOOTSTRAP_SERVERS; default ${DEFAULT-VALUE}). "
                    + "Ignored with --embedded.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            defaultValue = "${env:HRM_SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081}",
            description = "Schema Registry URL(s), comma-separated (env HRM_SCHEMA_REGISTRY_URL; default "
                    + "${DEFAULT-VALUE}). Ignored with --embedded.")
    String schemaRegistryUrl;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:HRM_CONFIG}",
            description = "Properties file (env HRM_CONFIG): Kafka, Streams and serde properties, passed through.")
    Path configFile;

    @Option(names = {"-p", "--property"}, paramLabel = "KEY=VALUE",
            description = "A Kafka, Streams or serde property, passed through; repeatable; over --config.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--application-id", defaultValue = "${env:HRM_APPLICATION_ID:-" + WorkerConfig.DEFAULT_APPLICATION_ID + "}",
            description = "Streams application.id (env HRM_APPLICATION_ID; default ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--worker-id", defaultValue = "${env:HRM_WORKER_ID}",
            description = "Reported in every solution (env HRM_WORKER_ID; default: the host name).")
    String workerId;

    @Option(names = "--processing-guarantee", paramLabel = "GUARANTEE",
            defaultValue = "${env:HRM_PROCESSING_GUARANTEE:-" + StreamsConfig.EXACTLY_ONCE_V2 + "}",
            description = "exactly_once_v2 or at_least_once (env HRM_PROCESSING_GUARANTEE; default ${DEFAULT-VALUE}).")
    String processingGuarantee;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:HRM_DATA_DIR:-data}",
            description = "Streams state (streams/) and, with --embedded, the broker's logs (env HRM_DATA_DIR; "
                    + "default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--model", paramLabel = "DIR", defaultValue = "${env:HRM_MODEL_DIR}",
            description = "Model directory (env HRM_MODEL_DIR). Without one every request is REJECTED with "
                    + "\"no model configured\".")
    Path modelDir;

    @Option(names = "--max-in-flight", paramLabel = "N",
            defaultValue = "" + WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK,
            description = "Puzzles one stream task may have in the engine before it stops taking records "
                    + "(default ${DEFAULT-VALUE}).")
    int maxInFlightPerTask;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "With --embedded: the broker's port (default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--controller-port", defaultValue = "9093",
            description = "With --embedded: the KRaft controller's port (default ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--registry-port", defaultValue = "8081",
            description = "With --embedded: the schema registry's port (default ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--partitions", defaultValue = "6",
            description = "With --embedded: partitions of the topics it creates (default ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        final Map<String, String> passThrough = passThroughProperties();
        final CountDownLatch stopRequested = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested.countDown();
            try {
                closed.await(CLOSE_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hrm-worker-shutdown"));

        AutoCloseable stack = null;
        Optional<SolverEngine> engine = Optional.empty();
        StreamsWorker worker = null;
        try {
            if (embedded) {
                stack = startEmbeddedStack();
            }
            engine = openEngine();
            if (engine.isEmpty()) {
                log.warn("No model configured (--model): every request will be REJECTED with \"no model configured\"");
            }
            final WorkerConfig config = workerConfig(passThrough);
            worker = new StreamsWorker(config, engine);
            worker.start();
            while (!worker.awaitRunning(Duration.ofMillis(250))) {
                if (stopRequested.getCount() == 0 || worker.hasStopped()) {
                    return stopRequested.getCount() == 0 ? 0 : 1;
                }
            }
            System.out.printf("hrm-worker ready: worker %s, model %s, reading %s at %s (%s)%n", config.workerId(),
                    engine.map(e -> e.model().name()).orElse("none"), "hrm.requests", config.bootstrapServers(),
                    config.processingGuarantee());
            System.out.flush();
            while (!stopRequested.await(250, TimeUnit.MILLISECONDS)) {
                if (worker.hasStopped()) {
                    log.error("The worker stopped on its own (state {}); exiting", worker.state());
                    return 1;
                }
            }
            return 0;
        } finally {
            // order matters: Streams first (it may still submit and forward), then the engine, then the broker
            if (worker != null) {
                worker.close(CLOSE_TIMEOUT);
            }
            engine.ifPresent(SolverEngine::close);
            if (stack != null) {
                stack.close();
            }
            log.info("hrm-worker stopped");
            closed.countDown();
        }
    }

    private WorkerConfig workerConfig(final Map<String, String> passThrough) {
        final Map<String, String> overrides = new HashMap<>(passThrough);
        final String bootstrap = embedded ? embeddedBootstrapServers
                : resolve("--bootstrap-servers", bootstrapServers, StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, overrides);
        final String registry = embedded ? embeddedRegistryUrl
                : resolve("--schema-registry-url", schemaRegistryUrl, SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, overrides);
        final String appId = resolve("--application-id", applicationId, StreamsConfig.APPLICATION_ID_CONFIG, overrides);
        final String guarantee = resolve("--processing-guarantee", processingGuarantee,
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, overrides);
        final Path stateDir = overrides.containsKey(StreamsConfig.STATE_DIR_CONFIG) && !matched("--data-dir")
                ? Path.of(overrides.remove(StreamsConfig.STATE_DIR_CONFIG))
                : dataDir.resolve("streams");
        overrides.remove(StreamsConfig.STATE_DIR_CONFIG);
        try {
            return new WorkerConfig(bootstrap, registry, appId, workerId == null ? hostName() : workerId, guarantee,
                    stateDir, maxInFlightPerTask, WorkerConfig.DEFAULT_ENGINE_WAIT,
                    WorkerConfig.DEFAULT_FORWARD_INTERVAL, overrides);
        } catch (final IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** An explicit flag wins over the pass-through properties, which win over the flag's default. */
    private String resolve(final String option, final String flagValue, final String property,
                           final Map<String, String> overrides) {
        final String fromProperties = overrides.remove(property);
        return fromProperties != null && !matched(option) ? fromProperties : flagValue;
    }

    private boolean matched(final String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private Map<String, String> passThroughProperties() throws IOException {
        final Map<String, String> all = new LinkedHashMap<>();
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new ParameterException(spec.commandLine(), "--config: no such file: " + configFile);
            }
            final Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile)) {
                file.load(reader);
            }
            file.stringPropertyNames().forEach(name -> all.put(name, file.getProperty(name)));
        }
        all.putAll(properties);
        return all;
    }

    // ---- integration points -------------------------------------------------------------------------------

    private String embeddedBootstrapServers;
    private String embeddedRegistryUrl;

    /**
     * INTEGRATION POINT (branch embedded): starts the embedded broker on {@link #kafkaPort} (controller on
     * {@link #controllerPort}, data under {@code dataDir/kafka}), the development registry on
     * {@link #registryPort}, creates the three topics with {@link #partitions} partitions, and sets
     * {@link #embeddedBootstrapServers} and {@link #embeddedRegistryUrl}.
     */
    private AutoCloseable startEmbeddedStack() {
        throw new ParameterException(spec.commandLine(),
                "--embedded is not available in this build yet (the embedded stack is being integrated)");
    }

    /**
     * INTEGRATION POINT (branch model): loads the model in {@link #modelDir} and starts the engine on it.
     * Until the model loader is merged, {@code --model} is refused rather than faked.
     */
    private Optional<SolverEngine> openEngine() {
        if (modelDir == null) {
            return Optional.empty();
        }
        throw new ParameterException(spec.commandLine(),
                "--model is not available in this build yet (model loading is being integrated)");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (final UnknownHostException e) {
            return "hrm-worker";
        }
    }
}
