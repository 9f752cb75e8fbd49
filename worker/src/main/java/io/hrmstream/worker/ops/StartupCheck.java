package io.hrmstream.worker.ops;

import io.hrmstream.schemas.registry.SchemaRegistryClient;
import io.hrmstream.schemas.registry.SchemaRegistryException;
import io.hrmstream.schemas.serde.SerdeConfig;
import io.hrmstream.worker.stream.WorkerConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Before a worker's first contact only: are the Kafka brokers and the schema registry reachable? A worker pointed at
 * a wrong address would otherwise wait forever, logging warnings and never an error. The check retries until the
 * timeout and then says, in one line, what it could not reach; once the worker has run, outages are waited out
 * instead (see {@code RegistryOutage} and Kafka's own retries). A timeout of zero waits forever.
 */
public final class StartupCheck {

    private static final Logger log = LoggerFactory.getLogger(StartupCheck.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private StartupCheck() {
    }

    /**
     * Empty when both answered within {@code timeout}, else the one line to print (what, where, last error).
     * {@code config}'s pass-through properties (security settings, registry credentials) are used for both.
     */
    public static Optional<String> unreachable(final WorkerConfig config, final Duration timeout)
            throws InterruptedException {
        final long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        Optional<String> kafka = kafkaUnreachable(config, deadline);
        if (kafka.isPresent()) return kafka.map(why -> "could not reach the Kafka brokers at "
                + config.bootstrapServers() + " within " + timeout.toSeconds() + " s: " + why);
        return registryUnreachable(config, deadline).map(why -> "could not reach the schema registry at "
                + config.schemaRegistryUrl() + " within " + timeout.toSeconds() + " s: " + why);
    }

    private static Optional<String> kafkaUnreachable(final WorkerConfig config, final long deadline)
            throws InterruptedException {
        final Map<String, Object> props = new HashMap<>(config.overrides());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, config.applicationId() + "-startup-check");
        String last = "no answer";
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                final int waitMs = (int) Math.max(200, Math.min(5_000, (deadline - System.nanoTime()) / 1_000_000));
                try {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(waitMs)).nodes()
                            .get(waitMs + 1_000L, TimeUnit.MILLISECONDS);
                    return Optional.empty();
                } catch (final ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e.getCause() != null ? e.getCause().getMessage() : e.toString();
                    log.info("Kafka at {} not reachable yet: {}", config.bootstrapServers(), last);
                }
            }
        } catch (final RuntimeException e) {
            return Optional.of(e.getMessage());   // e.g. a bootstrap address that does not resolve
        }
        return Optional.of(last);
    }

    /** Why the registry did not answer by {@code deadline} (System.nanoTime), or empty when it answered. */
    static Optional<String> registryUnreachable(final WorkerConfig config, final long deadline)
            throws InterruptedException {
        final SchemaRegistryClient client = new SerdeConfig(config.serdeConfig()).createClient();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                client.latestVersion("hrm.startup-check");
                return Optional.empty();
            } catch (final SchemaRegistryException e) {
                if (!e.isUnavailable()) return Optional.empty();   // it answered (404 for this subject is fine)
                last = e.getMessage();
                log.info("Schema registry at {} not reachable yet: {}", config.schemaRegistryUrl(), last);
            }
            Thread.sleep(Math.min(RETRY.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
        return Optional.of(last);
    }
}
