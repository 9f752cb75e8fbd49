package io.hrmstream.schemas.serde;

import io.hrmstream.schemas.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;

/**
 * {@link RegistryAvroSerializer} and {@link RegistryAvroDeserializer} of one record class as a Kafka
 * {@link Serde}, sharing one registry client:
 * <pre>{@code
 * Serde<PuzzleRequest> serde = new RegistryAvroSerde<>(PuzzleRequest.class);
 * serde.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://localhost:8081"), false);
 * }</pre>
 *
 * @param <T> the generated record class
 */
public final class RegistryAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final RegistryAvroSerializer<T> serializer;
    private final RegistryAvroDeserializer<T> deserializer;
    private final SchemaRegistryClient givenClient;

    /**
     * A serde named by class ({@code default.value.serde}, a properties file): {@link #configure} takes the record
     * class from {@code specific.avro.value.type} (keys: {@code specific.avro.key.type}).
     */
    public RegistryAvroSerde() {
        this.serializer = new RegistryAvroSerializer<>();
        this.deserializer = new RegistryAvroDeserializer<>();
        this.givenClient = null;
    }

    /** A serde that builds its registry client from {@link #configure}. */
    public RegistryAvroSerde(Class<T> type) {
        this(type, null);
    }

    /** A serde on the given registry client ({@code schema.registry.url} is then ignored). */
    public RegistryAvroSerde(Class<T> type, SchemaRegistryClient client) {
        this.serializer = new RegistryAvroSerializer<>(type, client);
        this.deserializer = new RegistryAvroDeserializer<>(type, client);
        this.givenClient = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = new SerdeConfig(configs);
        SchemaRegistryClient client = givenClient != null ? givenClient : config.createClient();
        serializer.configure(config, client, isKey);
        deserializer.configure(config, client, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
