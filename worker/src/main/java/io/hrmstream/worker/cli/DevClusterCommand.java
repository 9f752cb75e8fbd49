package io.hrmstream.worker.cli;

import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.embedded.EmbeddedKafkaCluster;
import io.hrmstream.worker.embedded.EmbeddedStack;
import io.hrmstream.worker.embedded.EmbeddedStackConfig;
import io.hrmstream.worker.embedded.KafkaNodeProcesses;
import io.hrmstream.worker.embedded.TopicReplication;
import io.hrmstream.worker.embedded.registry.DevSchemaRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code hrm-worker dev-cluster}: the embedded Kafka broker(s) and the development schema registry, without a worker,
 * so that several workers ({@code run --bootstrap ... --registry ...}) can share one cluster. Runs until SIGINT or
 * SIGTERM, then stops the registry and the brokers cleanly.
 *
 * <p>For fault runs, each part can be lost on its own: {@code --broker-processes} runs every Kafka node as a process
 * of its own ({@link KafkaNodeProcesses}: one broker can be killed and restarted), and {@code --no-registry} with a
 * second {@code dev-cluster --registry-only --bootstrap ...} runs the registry as its own process, which can be
 * stopped and started again (its state is in the topic {@code _schemas}, so ids survive).
 */
@Command(name = "dev-cluster",
        mixinStandardHelpOptions = true,
        description = {
                "Starts the embedded Kafka broker(s) and the development schema registry only (no worker), creates the "
                        + "topics hrm.requests, hrm.solutions and hrm.requests.dlq, prints their addresses and a line "
                        + "containing 'ready', and runs until Ctrl-C or SIGTERM.",
                "Workers join with: run --bootstrap <bootstrap servers> --registry <registry url>",
                "For fault runs: --broker-processes (one process per Kafka node, so one broker can be killed), "
                        + "--no-registry plus 'dev-cluster --registry-only --bootstrap ...' (a registry that can be "
                        + "stopped and started alone)."})
public final class DevClusterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--brokers", defaultValue = "1",
            description = "1: one combined broker+controller node, topics with replication factor 1; "
                    + "3: three brokers and a separate controller, topics with replication factor 3 and "
                    + "min.insync.replicas=2 (default: ${DEFAULT-VALUE}).")
    int brokers;

    @Option(names = "--broker-processes",
            description = "Run every Kafka node (each broker, and the controller) as a process of its own "
                    + "(kafka.Kafka on this jar's class path), so one broker can be killed and restarted while the "
                    + "rest goes on; prints each node's pid and the command that restarts it.")
    boolean brokerProcesses;

    @Option(names = "--no-registry",
            description = "Start no schema registry: run it on its own with dev-cluster --registry-only.")
    boolean noRegistry;

    @Option(names = "--registry-only",
            description = "Start only the development schema registry, on --host and --registry-port, with its state "
                    + "in the topic _schemas of the cluster at --bootstrap (a dev-cluster --no-registry): it can be "
                    + "stopped and started again on its own, and serves the same ids after a restart.")
    boolean registryOnly;

    @Option(names = {"--bootstrap-servers", "--bootstrap"}, paramLabel = "HOST:PORT[,...]",
            description = "With --registry-only: the Kafka cluster that holds the registry's _schemas topic.")
    String bootstrapServers;

    @Mixin
    EmbeddedStackOptions stack;

    @Override
    public Integer call() throws InterruptedException {
        if (registryOnly) {
            return registryOnly();
        }
        if (bootstrapServers != null) {
            throw new ParameterException(spec.commandLine(), "--bootstrap goes with --registry-only");
        }
        if (brokers != 1 && brokers != 3) {
            throw new ParameterException(spec.commandLine(), "--brokers must be 1 or 3, got " + brokers);
        }
        EmbeddedStackConfig config = stack.toConfig(brokers);
        EmbeddedStack running;
        try {
            running = EmbeddedStack.start(config,
                    brokerProcesses ? KafkaNodeProcesses::start : EmbeddedKafkaCluster::start, !noRegistry);
        } catch (RuntimeException e) {
            // a port in use, a data directory of another layout...: say what, without a stack trace
            spec.commandLine().getErr().println("dev-cluster could not start: " + messages(e));
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = stopOnSignal(running, out);

        TopicReplication replication = running.kafka().topicReplication();
        out.println("Kafka bootstrap servers: " + running.bootstrapServers());
        if (running.kafka() instanceof KafkaNodeProcesses nodes) {
            for (int id : nodes.nodeIds()) {
                out.printf("Node %s: pid %d%s, log %s; after a kill (a node started by hand is the shell's to "
                        + "stop, not dev-cluster's), restart it with: %s%n", nodes.name(id),
                        nodes.pid(id), nodes.brokerIds().contains(id) ? ", " + nodes.address(id) : "",
                        nodes.logFile(id), nodes.restartCommand(id));
            }
        }
        String registry = running.registry().isPresent() ? running.registryUrl() : "<url of dev-cluster --registry-only>";
        running.registry().ifPresentOrElse(r -> out.println("Schema registry URL:     " + r.url()),
                () -> out.println("Schema registry: none; start one with: dev-cluster --registry-only --bootstrap "
                        + running.bootstrapServers()));
        out.printf("Topics: %s, %s, %s (%d partitions when created, replication factor %d, min.insync.replicas %d)%n",
                Topics.REQUESTS, Topics.SOLUTIONS, Topics.REQUESTS_DLQ, config.partitions(),
                replication.factor(), replication.minInsyncReplicas());
        out.println("Join a worker with: run --bootstrap " + running.bootstrapServers() + " --registry " + registry);
        out.printf("dev-cluster ready: %d broker(s)%s, data in %s; Ctrl-C stops it%n", brokers,
                brokerProcesses ? " as processes" : "", config.kafka().dataDir().toAbsolutePath());
        out.flush();
        stopped.await();
        return 0;
    }

    /** {@code --registry-only}: the registry alone, on a cluster that runs elsewhere. */
    private int registryOnly() throws InterruptedException {
        if (bootstrapServers == null) {
            throw new ParameterException(spec.commandLine(), "--registry-only needs --bootstrap");
        }
        if (brokerProcesses || noRegistry) {
            throw new ParameterException(spec.commandLine(),
                    "--registry-only starts no brokers: --broker-processes and --no-registry do not apply");
        }
        DevSchemaRegistry registry;
        try {
            registry = DevSchemaRegistry.start(bootstrapServers, stack.host, stack.registryPort);
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("dev-cluster --registry-only could not start: " + messages(e));
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = stopOnSignal(registry, out);
        out.println("Schema registry URL:     " + registry.url());
        out.printf("dev-cluster ready: schema registry only, state in topic _schemas of %s; Ctrl-C stops it%n",
                bootstrapServers);
        out.flush();
        stopped.await();
        return 0;
    }

    /** Closes {@code running} on SIGINT/SIGTERM, then says so; the latch opens once it is closed. */
    private static CountDownLatch stopOnSignal(AutoCloseable running, PrintWriter out) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                out.println("dev-cluster did not stop cleanly: " + messages(e));
            }
            out.println("dev-cluster stopped");
            out.flush();
            stopped.countDown();
        }, "dev-cluster-shutdown"));
        return stopped;
    }

    private static String messages(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }
}
