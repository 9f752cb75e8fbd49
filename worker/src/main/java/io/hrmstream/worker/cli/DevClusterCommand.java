package io.hrmstream.worker.cli;

import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.embedded.EmbeddedStack;
import io.hrmstream.worker.embedded.EmbeddedStackConfig;
import io.hrmstream.worker.embedded.TopicReplication;
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
 */
@Command(name = "dev-cluster",
        mixinStandardHelpOptions = true,
        description = {
                "Starts the embedded Kafka broker(s) and the development schema registry only (no worker), creates the "
                        + "topics hrm.requests, hrm.solutions and hrm.requests.dlq, prints their addresses and a line "
                        + "containing 'ready', and runs until Ctrl-C or SIGTERM.",
                "Workers join with: run --bootstrap <bootstrap servers> --registry <registry url>"})
public final class DevClusterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--brokers", defaultValue = "1",
            description = "1: one combined broker+controller node, topics with replication factor 1; "
                    + "3: three brokers and a separate controller, topics with replication factor 3 and "
                    + "min.insync.replicas=2 (default: ${DEFAULT-VALUE}).")
    int brokers;

    @Mixin
    EmbeddedStackOptions stack;

    @Override
    public Integer call() throws InterruptedException {
        if (brokers != 1 && brokers != 3) {
            throw new ParameterException(spec.commandLine(), "--brokers must be 1 or 3, got " + brokers);
        }
        EmbeddedStackConfig config = stack.toConfig(brokers);
        EmbeddedStack running;
        try {
            running = EmbeddedStack.start(config);
        } catch (RuntimeException e) {
            // a port in use, a data directory of another layout...: say what, without a stack trace
            spec.commandLine().getErr().println("dev-cluster could not start: " + messages(e));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        PrintWriter out = spec.commandLine().getOut();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            out.println("dev-cluster stopped");
            out.flush();
            stopped.countDown();
        }, "dev-cluster-shutdown"));

        TopicReplication replication = running.kafka().topicReplication();
        out.println("Kafka bootstrap servers: " + running.bootstrapServers());
        out.println("Schema registry URL:     " + running.registryUrl());
        out.printf("Topics: %s, %s, %s (%d partitions when created, replication factor %d, min.insync.replicas %d)%n",
                Topics.REQUESTS, Topics.SOLUTIONS, Topics.REQUESTS_DLQ, config.partitions(),
                replication.factor(), replication.minInsyncReplicas());
        out.println("Join a worker with: run --bootstrap " + running.bootstrapServers() + " --registry " + running.registryUrl());
        out.printf("dev-cluster ready: %d broker(s), data in %s; Ctrl-C stops it%n", brokers,
                config.kafka().dataDir().toAbsolutePath());
        out.flush();
        stopped.await();
        return 0;
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
