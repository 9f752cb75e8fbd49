package io.hrmstream.worker.cli;

import io.hrmstream.puzzles.PuzzleTasks;
import io.hrmstream.schemas.Topics;
import io.hrmstream.schemas.serde.SerdeConfig;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.embedded.EmbeddedStack;
import io.hrmstream.worker.engine.ContinuousBatchingEngine;
import io.hrmstream.worker.engine.EngineConfig;
import io.hrmstream.worker.engine.ResidentSlotBatch;
import io.hrmstream.worker.engine.SolverEngine;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.ReasoningModel;
import io.hrmstream.worker.ops.Health;
import io.hrmstream.worker.ops.OpsServer;
import io.hrmstream.worker.ops.WorkerMetrics;
import io.hrmstream.worker.stream.StreamsWorker;
import io.hrmstream.worker.stream.WorkerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintWriter;
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
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * {@code hrm-worker run}: runs the worker until SIGINT/SIGTERM. It loads the model ({@code --model}, else the
 * shipped sudoku model; {@code --no-model} runs without one) and starts one engine on it, then with
 * {@code --embedded} a development Kafka broker and schema registry in this JVM, then Streams. Prints one line
 * containing {@code ready} once Streams is RUNNING, and on a signal closes Streams (which commits or aborts its
 * open transaction), then the engine and the model, then the embedded stack.
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
    /** The model shipped in the jar (classpath resource folder) and the name its solutions carry. */
    private static final String SHIPPED_MODEL = "/models/sudoku";
    private static final String SHIPPED_MODEL_NAME = "hrm-sudoku";

    @Spec
    CommandSpec spec;

    @Option(names = "--embedded",
            description = "Start a development Kafka broker (KRaft) and schema registry in this process first.")
    boolean embedded;

    @Option(names = {"--bootstrap-servers", "--bootstrap"}, paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:HRM_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (env HRM_BOOTSTRAP_SERVERS; default ${DEFAULT-VALUE}). "
                    + "Ignored with --embedded.")
    String bootstrapServers;

    @Option(names = {"--schema-registry-url", "--registry"}, paramLabel = "URL",
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

    @Option(names = "--model", paramLabel = "DIR", defaultValue = "${env:HRM_MODEL_DIR}",
            description = "Model folder: config.json with weights.safetensors, or an official checkpoint folder "
                    + "(env HRM_MODEL_DIR; default: the shipped sudoku model).")
    Path modelDir;

    @Option(names = "--no-model",
            description = "Run without a model: every request is REJECTED with \"no model configured\".")
    boolean noModel;

    @Option(names = "--task", defaultValue = "${env:HRM_TASK:-sudoku}",
            description = "The task the model's vocabulary encodes: sudoku, maze or arc (env HRM_TASK; default "
                    + "${DEFAULT-VALUE}, the shipped model's).")
    String task;

    @Option(names = "--device", defaultValue = "${env:HRM_DEVICE:-cpu}",
            description = "cpu, gpu or gpu:N, optionally :f16/:f32 (env HRM_DEVICE; default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", description = "libtorch intra-op threads (default: libtorch's choice).")
    Integer threads;

    @Option(names = "--batch", defaultValue = "64",
            description = "Slots of the engine's resident batch: puzzles stepped together (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--max-in-flight", paramLabel = "N",
            defaultValue = "" + WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK,
            description = "Puzzles one stream task may have in the engine before it stops taking records "
                    + "(default ${DEFAULT-VALUE}).")
    int maxInFlightPerTask;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "${env:HRM_METRICS_PORT:-8080}",
            description = "Port of /metrics (Prometheus), /health/live and /health/ready (env HRM_METRICS_PORT; "
                    + "0 picks a free one; default ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--metrics-host", paramLabel = "HOST", defaultValue = "${env:HRM_METRICS_HOST:-0.0.0.0}",
            description = "Interface of the metrics and health endpoints (env HRM_METRICS_HOST; default ${DEFAULT-VALUE}).")
    String metricsHost;

    @Mixin
    EmbeddedStackOptions stackOptions;

    @Override
    public Integer call() throws Exception {
        if (noModel && modelDir != null) {
            throw new ParameterException(spec.commandLine(), "--model and --no-model exclude each other");
        }
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
        // SIGTERM/SIGINT end the wait below instead of exiting the JVM with 143/130: the worker then closes in
        // order and the process exits 0 (a shutdown hook cannot set the exit status)
        for (final String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                log.info("SIG{} received: stop taking requests, commit and hand back the partitions", signal.getName());
                stopRequested.countDown();
            });
        }
        try {
            return runUntilStopped(passThrough, stopRequested);
        } finally {
            closed.countDown();
        }
    }

    /** Starts model, stack and Streams, waits for a signal (or a failed worker), then closes them in reverse. */
    private int runUntilStopped(final Map<String, String> passThrough, final CountDownLatch stopRequested)
            throws InterruptedException, IOException {
        final PrintWriter out = spec.commandLine().getOut();
        final WorkerMetrics metrics = new WorkerMetrics(workerId == null ? hostName() : workerId);
        final ServedModel model;
        try {
            model = noModel ? null : loadModel(metrics);
        } catch (final ParameterException e) {
            throw e;
        } catch (final IOException | RuntimeException e) {
            log.debug("Model failed to load", e);
            spec.commandLine().getErr().println("run could not load the model: " + e.getMessage());
            metrics.close();
            return 1;
        }
        final Optional<SolverEngine> engine = Optional.ofNullable(model).map(ServedModel::engine);
        if (engine.isEmpty()) {
            log.warn("No model configured (--no-model): every request will be REJECTED with \"no model configured\"");
        }
        EmbeddedStack stack = null;
        StreamsWorker worker = null;
        OpsServer ops = null;
        try {
            if (embedded) {
                try {
                    stack = EmbeddedStack.start(stackOptions.toConfig(1));
                } catch (final RuntimeException e) {
                    // a port in use, a data directory of another layout...: say what, without a stack trace
                    log.debug("Embedded stack failed to start", e);
                    spec.commandLine().getErr().println("run --embedded could not start the broker and registry: "
                            + e.getMessage());
                    return 1;
                }
                log.info("Embedded stack: Kafka at {}, schema registry at {}", stack.bootstrapServers(),
                        stack.registryUrl());
            }
            final WorkerConfig config = workerConfig(passThrough, stack);
            metrics.bindEngine(engine);
            worker = new StreamsWorker(config, engine, metrics);
            worker.bindMetrics(metrics.registry());
            final StreamsWorker running = worker;
            ops = OpsServer.start(metricsHost, metricsPort, metrics,
                    new Health(running::state, engine.map(e -> e.model().name()).orElse("none")));
            log.info("Starting topology: application {}, worker {}, {}, reading {} at {}", config.applicationId(),
                    config.workerId(), config.processingGuarantee(), Topics.REQUESTS, config.bootstrapServers());
            worker.start();
            while (!worker.awaitRunning(Duration.ofMillis(250))) {
                if (stopRequested.getCount() == 0 || worker.hasStopped()) {
                    return stopRequested.getCount() == 0 ? 0 : 1;
                }
            }
            out.printf("hrm-worker ready: worker %s, model %s, reading %s at %s, schema registry %s (%s), "
                            + "metrics on port %d%n",
                    config.workerId(), engine.map(e -> e.model().name()).orElse("none"), Topics.REQUESTS,
                    config.bootstrapServers(), config.schemaRegistryUrl(), config.processingGuarantee(), ops.port());
            out.flush();
            while (!stopRequested.await(250, TimeUnit.MILLISECONDS)) {
                if (worker.hasStopped()) {
                    log.error("The worker stopped on its own (state {}); exiting", worker.state());
                    return 1;
                }
            }
            return 0;
        } finally {
            // Streams first (it may still submit and forward), then the engine and model, then the broker
            if (worker != null) {
                final long start = System.nanoTime();
                log.info("Draining: closing Streams (commit or abort the open transaction, leave the group; "
                        + "in-flight requests stay in the changelogged store for the next owner) within {} s",
                        CLOSE_TIMEOUT.toSeconds());
                final boolean clean = worker.close(CLOSE_TIMEOUT);
                log.info("Streams {} in {} ms", clean ? "closed" : "did not close within the bound",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            if (model != null) {
                model.close();
            }
            if (ops != null) {
                ops.close();
            }
            metrics.close();
            if (stack != null) {
                stack.close();
            }
            out.println("hrm-worker stopped");
            out.flush();
        }
    }

    /** The worker's configuration from the flags and {@code passThrough}; the stack's addresses with --embedded. */
    WorkerConfig workerConfig(final Map<String, String> passThrough, final EmbeddedStack stack) {
        final Map<String, String> overrides = new HashMap<>(passThrough);
        final String bootstrap = stack != null ? stack.bootstrapServers()
                : resolve("--bootstrap-servers", bootstrapServers, StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, overrides);
        final String registry = stack != null ? stack.registryUrl()
                : resolve("--schema-registry-url", schemaRegistryUrl, SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, overrides);
        final String appId = resolve("--application-id", applicationId, StreamsConfig.APPLICATION_ID_CONFIG, overrides);
        final String guarantee = resolve("--processing-guarantee", processingGuarantee,
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, overrides);
        final Path stateDir = overrides.containsKey(StreamsConfig.STATE_DIR_CONFIG) && !matched("--data-dir")
                ? Path.of(overrides.remove(StreamsConfig.STATE_DIR_CONFIG))
                : stackOptions.dataDir.resolve("streams");
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

    /** The properties of {@code --config}, then of {@code --property}. */
    Map<String, String> passThroughProperties() throws IOException {
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

    /** The model on {@link #device} and one engine on it, which every stream task and thread of the JVM shares. */
    private ServedModel loadModel(final WorkerMetrics metrics) throws IOException {
        if (PuzzleTasks.forName(task).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--task: unknown task '" + task + "' (known: "
                    + PuzzleTasks.names() + ")");
        }
        if (batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be >= 1, was " + batch);
        }
        final ComputeDevice on = ComputeDevice.parse(device);
        if (threads != null) {
            ComputeDevice.setIntraOpThreads(threads);
        }
        final String name = modelDir == null ? SHIPPED_MODEL_NAME : modelDir.toAbsolutePath().normalize().getFileName().toString();
        final ReasoningModel loaded = modelDir == null
                ? ModelLoader.loadResource(SHIPPED_MODEL, on)
                : ModelLoader.load(modelDir, on);
        try {
            final ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(
                    new ResidentSlotBatch(loaded, batch, name, task), EngineConfig.defaults(), ForkJoinPool.commonPool(),
                    metrics.stepListener());
            log.info("Model {} ({}, {} tokens, {} ACT steps at most) on {} with {} slots", name, task,
                    loaded.config().seqLen(), loaded.config().haltMaxSteps(), on, batch);
            return new ServedModel(loaded, engine);
        } catch (final RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /** The loaded model and its engine; the engine closes its slot batch, the model is closed after it. */
    private record ServedModel(ReasoningModel model, ContinuousBatchingEngine engine) implements AutoCloseable {
        @Override
        public void close() {
            engine.close();
            model.close();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (final UnknownHostException e) {
            return "hrm-worker";
        }
    }
}
