package io.hrmstream.worker.cli;

import io.hrmstream.schemas.serde.SerdeConfig;
import io.hrmstream.worker.embedded.EmbeddedStack;
import io.hrmstream.worker.stream.GuessScaling;
import io.hrmstream.worker.stream.WorkerConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code run}'s flags as parsed, and how they resolve into a {@link WorkerConfig}. Where a setting comes from,
 * lowest first: built-in default, environment variable, {@code --config} file, {@code --property}, explicit flag;
 * {@code commandLine} tells an explicit flag from its default.
 *
 * @param workerId null: the host name
 * @param staticMembership join as a static member, {@code group.instance.id} = the explicit {@code workerId}
 * @param samples  guess scaling's default views per request; {@code maxSamples} its ceiling
 * @param dataDir  the embedded stack's {@code --data-dir}; Streams' state lives under it unless a property says else
 */
record WorkerSettings(CommandLine commandLine, String bootstrapServers, String schemaRegistryUrl, String applicationId,
                      String workerId, String processingGuarantee, int maxInFlightPerTask, int samples,
                      int maxSamples, Path configFile, Map<String, String> properties, Path dataDir,
                      boolean staticMembership) {

    /**
     * Refused before anything starts: static membership without an explicit worker id. The static member id is
     * the explicit worker id only; two workers on one host (or in containers sharing a host name) would fence each
     * other out of the group under the host-name default.
     */
    WorkerSettings {
        if (staticMembership && (workerId == null || workerId.isBlank())) {
            throw new ParameterException(commandLine, "--static-membership needs an explicit --worker-id "
                    + "(or HRM_WORKER_ID), unique per worker: it becomes group.instance.id, and the host-name "
                    + "default is not known to be unique");
        }
    }

    /** The id every solution and meter carries: {@code --worker-id}, else the host name. */
    String resolvedWorkerId() {
        return workerId == null ? hostName() : workerId;
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
                : dataDir.resolve("streams");
        overrides.remove(StreamsConfig.STATE_DIR_CONFIG);
        if (staticMembership) {
            overrides.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, workerId);
        }
        try {
            return new WorkerConfig(bootstrap, registry, appId, resolvedWorkerId(), guarantee,
                    stateDir, maxInFlightPerTask, WorkerConfig.DEFAULT_ENGINE_WAIT,
                    WorkerConfig.DEFAULT_FORWARD_INTERVAL, overrides, new GuessScaling(samples, maxSamples));
        } catch (final IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
    }

    /** The properties of {@code --config}, then of {@code --property}. */
    Map<String, String> passThroughProperties() throws IOException {
        final Map<String, String> all = new LinkedHashMap<>();
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new ParameterException(commandLine, "--config: no such file: " + configFile);
            }
            final Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile)) {
                file.load(reader);
            } catch (final IOException | IllegalArgumentException e) {
                // a malformed unicode escape, or bytes that are not UTF-8: name the file, not only the fault
                throw new ParameterException(commandLine, "--config " + configFile
                        + ": not a readable properties file (UTF-8): " + e);
            }
            file.stringPropertyNames().forEach(name -> all.put(name, file.getProperty(name)));
        }
        all.putAll(properties);
        return all;
    }

    /** An explicit flag wins over the pass-through properties, which win over the flag's default. */
    private String resolve(final String option, final String flagValue, final String property,
                           final Map<String, String> overrides) {
        final String fromProperties = overrides.remove(property);
        return fromProperties != null && !matched(option) ? fromProperties : flagValue;
    }

    private boolean matched(final String option) {
        return commandLine.getParseResult().hasMatchedOption(option);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (final UnknownHostException e) {
            return "hrm-worker";
        }
    }
}
