package io.hrmstream.worker.cli;

import io.hrmstream.puzzles.data.ArcIdentifiers;
import io.hrmstream.schemas.RequestAttributeNames;
import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.embedded.EmbeddedStack;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.Halting;
import io.hrmstream.worker.ops.Health;
import io.hrmstream.worker.ops.OpsServer;
import io.hrmstream.worker.ops.StartupCheck;
import io.hrmstream.worker.ops.PortCheck;
import io.hrmstream.worker.ops.WorkerMetrics;
import io.hrmstream.worker.stream.SolveObserver;
import io.hrmstream.worker.stream.ArcVoting;
import io.hrmstream.worker.stream.GuessScaling;
import io.hrmstream.worker.stream.StreamsWorker;
import io.hrmstream.worker.stream.WorkerConfig;
import io.hrmstream.worker.web.ConsoleServer;
import io.hrmstream.worker.web.RecentSolutions;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code hrm-worker run}: runs the worker until SIGINT/SIGTERM. It opens the models ({@code --model}, one per task,
 * else the shipped ones; {@code --no-model} runs without any) and starts one engine on each, then with
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
    /** Slots per engine without --batch: the batch the shipped models are measured at (docs/BENCHMARKS.md). */
    private static final int DEFAULT_BATCH = 64;

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

    @Option(names = "--static-membership", defaultValue = "${env:HRM_STATIC_MEMBERSHIP:-false}",
            description = "Join the group as a static member: group.instance.id = --worker-id, which must then be "
                    + "given and unique per worker (env HRM_STATIC_MEMBERSHIP). Restarted within session.timeout.ms "
                    + "it takes its partitions back without a rebalance; on SIGTERM it stays in the group for that "
                    + "long unless --leave-on-shutdown.")
    boolean staticMembership;

    @Option(names = "--leave-on-shutdown", defaultValue = "${env:HRM_LEAVE_ON_SHUTDOWN:-false}",
            description = "With --static-membership: leave the group on SIGTERM too, for a worker that is not coming "
                    + "back under its id (env HRM_LEAVE_ON_SHUTDOWN). A dynamic member always leaves; a worker "
                    + "that shuts itself down on a failure always leaves.")
    boolean leaveOnShutdown;

    @Option(names = "--processing-guarantee", paramLabel = "GUARANTEE",
            defaultValue = "${env:HRM_PROCESSING_GUARANTEE:-" + StreamsConfig.EXACTLY_ONCE_V2 + "}",
            description = "exactly_once_v2 or at_least_once (env HRM_PROCESSING_GUARANTEE; default ${DEFAULT-VALUE}).")
    String processingGuarantee;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--no-model",
            description = "Run without a model: every request is REJECTED with \"no model configured\".")
    boolean noModel;

    @Option(names = "--halting", paramLabel = "RULE", defaultValue = "${env:HRM_HALTING}",
            description = "When a puzzle stops before its step cap: act (the model's q head), fixed (never: every "
                    + "puzzle runs to its cap, the official evaluation) or threshold:P (sigmoid(q_halt) >= P). "
                    + "Halted slots are refilled in every mode (env HRM_HALTING; default: each model folder's "
                    + "serve_halting (config.json), else act).")
    String halting;

    @Option(names = "--max-steps-ceiling", paramLabel = "N", defaultValue = "0",
            description = "The step cap of a request that sets no maxSteps, and the most one may ask for; "
                    + "recurrent models often improve with more steps than they were trained with. 0 (default) = "
                    + "the model folder's serve_max_steps (config.json), else its halt_max_steps.")
    int maxStepsCeiling;

    @Option(names = "--startup-timeout", paramLabel = "SECONDS", defaultValue = "${env:HRM_STARTUP_TIMEOUT:-60}",
            description = "Before the first contact only: seconds to wait for the Kafka brokers and the schema "
                    + "registry before exiting with one line naming what was unreachable; 0 = wait forever "
                    + "(env HRM_STARTUP_TIMEOUT; default ${DEFAULT-VALUE}). Later outages are waited out.")
    int startupTimeoutSeconds;

    @Option(names = "--max-in-flight", paramLabel = "N",
            defaultValue = "" + WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK,
            description = "Views one stream task may have in the engine before it stops taking records "
                    + "(default ${DEFAULT-VALUE}); guess-scaling views count too and go before new requests.")
    int maxInFlightPerTask;

    @Option(names = "--samples", paramLabel = "N",
            defaultValue = "${env:HRM_SAMPLES:-" + GuessScaling.DEFAULT_SAMPLES + "}",
            description = "Guess scaling: the most views (the puzzle plus augmented copies) raced when a request's "
                    + "first answer fails its verifier, for requests whose samples is null; 1 = never "
                    + "(env HRM_SAMPLES; default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--max-samples", paramLabel = "N",
            defaultValue = "${env:HRM_MAX_SAMPLES:-" + GuessScaling.DEFAULT_MAX_SAMPLES + "}",
            description = "The most views a request may ask for; above it the request is REJECTED "
                    + "(env HRM_MAX_SAMPLES; default ${DEFAULT-VALUE}).")
    int maxSamples;

    @Option(names = "--puzzle-ids", paramLabel = "FILE", defaultValue = "${env:HRM_PUZZLE_IDS}",
            description = "ARC: the dataset's identifiers.json (env HRM_PUZZLE_IDS). A request whose attribute "
                    + RequestAttributeNames.ARC_TASK + " names its task then runs as that task's augmented copies "
                    + "the file names (dihedral transform and colour permutation, each under its own puzzle "
                    + "embedding), and is answered by the official vote: solution and secondSolution.")
    Path puzzleIds;

    @Option(names = "--arc-views", paramLabel = "N",
            defaultValue = "${env:HRM_ARC_VIEWS:-" + ArcVoting.DEFAULT_MAX_VIEWS + "}",
            description = "With --puzzle-ids: the most copies of a task run per ARC request, the task as it is "
                    + "first; 0 = all (the official evaluation, about 1,000 a task) (env HRM_ARC_VIEWS; default "
                    + "${DEFAULT-VALUE}). They count against --max-in-flight.")
    int arcViews;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "${env:HRM_METRICS_PORT:-8080}",
            description = "Port of /metrics (Prometheus), /health/live and /health/ready (env HRM_METRICS_PORT; "
                    + "0 picks a free one; default ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--metrics-host", paramLabel = "HOST", defaultValue = "${env:HRM_METRICS_HOST:-0.0.0.0}",
            description = "Interface of the metrics and health endpoints (env HRM_METRICS_HOST; default ${DEFAULT-VALUE}).")
    String metricsHost;

    @Option(names = "--console", defaultValue = "${env:HRM_CONSOLE:-false}",
            description = "Serve the console, a page of live throughput, ACT steps, batch occupancy and the latest "
                    + "puzzles (env HRM_CONSOLE; off by default).")
    boolean console;

    @Option(names = "--console-port", paramLabel = "PORT", defaultValue = "${env:HRM_CONSOLE_PORT:-8090}",
            description = "Port of the console (env HRM_CONSOLE_PORT; 0 picks a free one; default ${DEFAULT-VALUE}).")
    int consolePort;

    @Option(names = "--console-host", paramLabel = "HOST", defaultValue = "${env:HRM_CONSOLE_HOST:-127.0.0.1}",
            description = "Interface of the console (env HRM_CONSOLE_HOST; default ${DEFAULT-VALUE}: this machine "
                    + "only, since the page shows the puzzles).")
    String consoleHost;

    @Mixin
    EmbeddedStackOptions stackOptions;

    @Override
    public Integer call() throws Exception {
        if (noModel && !modelOptions.modelDirs.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--model and --no-model exclude each other");
        }
        final WorkerSettings settings = settings();
        final Map<String, String> passThrough = settings.passThroughProperties();
        final Optional<String> busy = busyPort();
        if (busy.isPresent()) {
            spec.commandLine().getErr().println("run could not start: " + busy.get());
            return 1;
        }
        try (StopSignals stop = StopSignals.install(CLOSE_TIMEOUT)) {
            return runUntilStopped(settings, passThrough, stop);
        }
    }

    /** Starts model, stack and Streams, waits for a signal (or a failed worker), then closes them in reverse. */
    private int runUntilStopped(final WorkerSettings settings, final Map<String, String> passThrough,
                                final StopSignals stop) throws InterruptedException, IOException {
        final PrintWriter out = spec.commandLine().getOut();
        final WorkerMetrics metrics = new WorkerMetrics(settings.resolvedWorkerId());
        final ServedModels models;
        try {
            models = noModel ? null
                    : ServedModels.start(spec.commandLine(), modelOptions, modelOptions.batch(DEFAULT_BATCH,
                    spec.commandLine()), parseHalting(), maxStepsCeiling, metrics);
        } catch (final ParameterException e) {
            throw e;
        } catch (final IOException | RuntimeException e) {
            log.debug("Model failed to load", e);
            spec.commandLine().getErr().println("run could not load the model: " + e.getMessage());
            metrics.close();
            return 1;
        }
        final EngineRoster engines = models == null ? EngineRoster.none() : models.roster();
        if (engines.isEmpty()) {
            log.warn("No model configured (--no-model): every request will be REJECTED with \"no model configured\"");
        }
        EmbeddedStack stack = null;
        StreamsWorker worker = null;
        OpsServer ops = null;
        ConsoleServer consoleServer = null;
        try {
            if (embedded) {
                stack = startEmbeddedStack();
                if (stack == null) {
                    return 1;
                }
            }
            final WorkerConfig config = settings.workerConfig(passThrough, stack).withArcVoting(arcVoting());
            if (stack == null) {
                final Optional<String> unreachable = StartupCheck.unreachable(config,
                        Duration.ofSeconds(Math.max(0, startupTimeoutSeconds)));
                if (unreachable.isPresent()) {
                    spec.commandLine().getErr().println("run " + unreachable.get());
                    return 1;
                }
            }
            metrics.bindEngines(engines);
            final RecentSolutions recent = new RecentSolutions();
            worker = new StreamsWorker(config, engines, console ? SolveObserver.both(metrics, recent) : metrics);
            worker.bindMetrics(metrics.registry());
            ops = startOpsServer(worker, engines, metrics);
            consoleServer = console ? ConsoleServer.start(consoleHost, consolePort, recent, metrics.registry(),
                    engines) : null;
            if (!startAndAwaitRunning(worker, config, stop)) {
                return stop.requested() ? 0 : 1;
            }
            printReady(out, config, engines, ops);
            if (consoleServer != null) {
                out.printf("hrm-worker console at http://%s:%d/%n", consoleHost, consoleServer.port());
                out.flush();
            }
            return awaitStop(worker, stop);
        } finally {
            if (consoleServer != null) {
                consoleServer.close();
            }
            closeInOrder(worker, !leaveOnShutdown, models, ops, metrics, stack);
            out.println("hrm-worker stopped");
            out.flush();
        }
    }

    /** ARC voting from --puzzle-ids and --arc-views; off without --puzzle-ids. */
    private ArcVoting arcVoting() throws IOException {
        if (arcViews < 0) {
            throw new ParameterException(spec.commandLine(), "--arc-views must be >= 0 (0 = all), was " + arcViews);
        }
        if (puzzleIds == null) {
            return ArcVoting.off();
        }
        if (!Files.isRegularFile(puzzleIds)) {
            throw new ParameterException(spec.commandLine(), "--puzzle-ids: no such file: " + puzzleIds);
        }
        final ArcIdentifiers identifiers = ArcIdentifiers.read(puzzleIds);
        log.info("ARC voting: {} tasks in {}, at most {} views a request", identifiers.tasks().size(), puzzleIds,
                arcViews == 0 ? "all" : arcViews);
        return new ArcVoting(Optional.of(identifiers), arcViews);
    }

    /** A port this run would listen on that is taken (metrics, the console, with --embedded the stack's), as one line. */
    private Optional<String> busyPort() {
        try {
            PortCheck.requireFree(metricsHost, metricsPort, "the metrics and health endpoints (--metrics-port)");
            if (console) {
                PortCheck.requireFree(consoleHost, consolePort, "the console (--console-port)");
            }
            if (embedded) {
                EmbeddedStack.requirePortsFree(stackOptions.toConfig(1));
            }
            return Optional.empty();
        } catch (final PortCheck.PortInUseException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The development broker and registry of --embedded; null when they did not start (the reason is printed). */
    private EmbeddedStack startEmbeddedStack() {
        final EmbeddedStack stack;
        try {
            stack = EmbeddedStack.start(stackOptions.toConfig(1));
        } catch (final RuntimeException e) {
            // a port in use, a data directory of another layout...: say what, without a stack trace
            log.debug("Embedded stack failed to start", e);
            spec.commandLine().getErr().println("run --embedded could not start the broker and registry: "
                    + e.getMessage());
            return null;
        }
        log.info("Embedded stack: Kafka at {}, schema registry at {}", stack.bootstrapServers(), stack.registryUrl());
        return stack;
    }

    /** /metrics and the health endpoints; ready follows the worker's Streams state. */
    private OpsServer startOpsServer(final StreamsWorker worker, final EngineRoster engines,
                                     final WorkerMetrics metrics) throws IOException {
        return OpsServer.start(metricsHost, metricsPort, metrics, new Health(worker::state, engines.modelNames(),
                metrics::waitingForRegistry));
    }

    /** Starts Streams; true once it is RUNNING, false when a stop was requested or the worker stopped first. */
    private static boolean startAndAwaitRunning(final StreamsWorker worker, final WorkerConfig config,
                                                final StopSignals stop) throws InterruptedException {
        log.info("Starting topology: application {}, worker {}, {}, reading {} at {}", config.applicationId(),
                config.workerId(), config.processingGuarantee(), Topics.REQUESTS, config.bootstrapServers());
        worker.start();
        while (!worker.awaitRunning(Duration.ofMillis(250))) {
            if (stop.requested() || worker.hasStopped()) {
                return false;
            }
        }
        return true;
    }

    /** The one line, containing {@code ready}, that scripts and tests wait for. */
    private static void printReady(final PrintWriter out, final WorkerConfig config,
                                   final EngineRoster engines, final OpsServer ops) {
        out.printf("hrm-worker ready: worker %s, model %s, reading %s at %s, schema registry %s (%s), "
                        + "metrics on port %d%n",
                config.workerId(), engines.modelNames(), Topics.REQUESTS,
                config.bootstrapServers(), config.schemaRegistryUrl(), config.processingGuarantee(), ops.port());
        out.flush();
    }

    /** Waits for a stop request: 0 then, 1 when the worker stops on its own first. */
    private static int awaitStop(final StreamsWorker worker, final StopSignals stop) throws InterruptedException {
        while (!stop.await(250, TimeUnit.MILLISECONDS)) {
            if (worker.hasStopped()) {
                log.error("The worker stopped on its own (state {}); exiting", worker.state());
                return 1;
            }
        }
        return 0;
    }

    /**
     * Closes what was started (null: not started): Streams first, as it may still submit and forward, then the
     * engine and model, then the ops server and meters, then the broker. {@code returning}: see
     * {@link StreamsWorker#close(Duration, boolean)}.
     */
    private static void closeInOrder(final StreamsWorker worker, final boolean returning, final ServedModels models,
                                     final OpsServer ops, final WorkerMetrics metrics, final EmbeddedStack stack) {
        if (worker != null) {
            final long start = System.nanoTime();
            log.info("Draining: closing Streams (commit or abort the open transaction; in-flight requests stay in "
                    + "the changelogged store for the next owner) within {} s", CLOSE_TIMEOUT.toSeconds());
            final boolean clean = worker.close(CLOSE_TIMEOUT, returning);
            log.info("Streams {} in {} ms", clean ? "closed" : "did not close within the bound",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
        if (models != null) {
            models.close();
        }
        if (ops != null) {
            ops.close();
        }
        metrics.close();
        if (stack != null) {
            stack.close();
        }
    }

    /** The worker's configuration from the flags and {@code passThrough}; the stack's addresses with --embedded. */
    WorkerConfig workerConfig(final Map<String, String> passThrough, final EmbeddedStack stack) {
        return settings().workerConfig(passThrough, stack);
    }

    /** The properties of {@code --config}, then of {@code --property}. */
    Map<String, String> passThroughProperties() throws IOException {
        return settings().passThroughProperties();
    }

    /** The parsed flags; the spec's command line tells an explicit flag from its default. */
    private WorkerSettings settings() {
        return new WorkerSettings(spec.commandLine(), bootstrapServers, schemaRegistryUrl, applicationId, workerId,
                processingGuarantee, maxInFlightPerTask, samples, maxSamples, configFile, properties,
                stackOptions.dataDir, staticMembership);
    }

    /** The --halting flag, or null: each model's own serve_halting. */
    private Halting parseHalting() {
        if (halting == null || halting.isBlank()) return null;
        try {
            return Halting.parse(halting);
        } catch (final IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--halting: " + e.getMessage());
        }
    }
}
