package io.hrmstream.tools.kafka;

import io.hrmstream.schemas.serde.SerdeConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Client properties for the tools' producer, consumer and registry serde, merged in this order (later wins): the
 * tools' defaults, a properties file ({@code --config}), then {@code -X key=value} pairs. Everything passes through
 * as Kafka and Confluent name it, so {@code -X linger.ms=20} or {@code -X basic.auth.user.info=u:p} just work; the
 * same map configures the serde, which reads the {@code schema.registry.url} and {@code basic.auth.*} keys.
 */
public final class ClientSettings {

    private final Map<String, String> properties;

    private ClientSettings(Map<String, String> properties) {
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * @param bootstrapServers {@code bootstrap.servers} unless the file or an override sets it
     * @param registryUrl      {@code schema.registry.url} unless the file or an override sets it
     * @param configFile       a Java properties file, or null
     * @param overrides        {@code -X} pairs
     */
    public static ClientSettings of(String bootstrapServers, String registryUrl, Path configFile,
                                    Map<String, String> overrides) throws IOException {
        Map<String, String> merged = new LinkedHashMap<>();
        merged.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        merged.put(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        if (configFile != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                file.load(reader);
            } catch (IOException e) {
                throw new IOException("cannot read client properties file " + configFile + ": " + e.getMessage(), e);
            }
            file.stringPropertyNames().forEach(name -> merged.put(name, file.getProperty(name).trim()));
        }
        merged.putAll(overrides);
        return new ClientSettings(merged);
    }

    /** Splits {@code key=value} at the first '='; the message names the offending text. */
    public static Map.Entry<String, String> parsePair(String pair) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected key=value, got '" + pair + "'");
        }
        return Map.entry(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }

    public Map<String, String> properties() {
        return properties;
    }

    public String bootstrapServers() {
        return properties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    public String registryUrl() {
        return properties.get(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG);
    }

    /** For the registry serde's {@code configure}. */
    public Map<String, Object> serdeConfig() {
        return new HashMap<>(properties);
    }

    public Map<String, Object> producerConfig(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.putAll(withoutSerdeKeys());
        return config;
    }

    /**
     * A consumer without a group: the tools assign every partition themselves and never commit, so several
     * collects can read the same solutions side by side.
     */
    public Map<String, Object> consumerConfig(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        // only what the worker's transactions committed: aborted attempts would count twice or be wrong
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.name().toLowerCase(Locale.ROOT));
        // no group.id: nothing to commit to
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putAll(withoutSerdeKeys());
        return config;
    }

    /** Kafka warns about every key it does not know; the serde's keys are the serde's alone. */
    private Map<String, String> withoutSerdeKeys() {
        Map<String, String> kafka = new LinkedHashMap<>(properties);
        kafka.keySet().removeAll(SerdeConfig.configDef().names());
        return kafka;
    }
}
