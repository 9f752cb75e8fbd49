package io.hrmstream.tools.cli;

import io.hrmstream.tools.kafka.ClientSettings;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where the cluster and the registry are, and client properties passed through; the same names as the worker's. */
public final class KafkaOptions {

    /** How long a command waits for the cluster to answer at all before it says it is unreachable. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(15);

    @Option(names = {"--bootstrap-servers", "--bootstrap"}, paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:HRM_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (env HRM_BOOTSTRAP_SERVERS; default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = {"--registry", "--schema-registry-url"}, paramLabel = "URL",
            defaultValue = "${env:HRM_SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081}",
            description = "Schema Registry URL(s), comma-separated (env HRM_SCHEMA_REGISTRY_URL; default "
                    + "${DEFAULT-VALUE}).")
    String registryUrl;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:HRM_CONFIG}",
            description = "Properties file (env HRM_CONFIG): producer/consumer and serde properties, passed through "
                    + "(e.g. security.protocol, basic.auth.user.info).")
    Path configFile;

    @Option(names = {"-X", "-p", "--property"}, paramLabel = "KEY=VALUE",
            description = "A producer/consumer or serde property, passed through; repeatable; wins over --config.")
    Map<String, String> properties = new LinkedHashMap<>();

    ClientSettings settings() throws IOException {
        return ClientSettings.of(bootstrapServers, registryUrl, configFile, properties);
    }
}
