package io.hrmstream.schemas.serde;

import io.hrmstream.schemas.registry.SchemaRegistryClient;
import io.hrmstream.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Reads Confluent wire-format records into a generated Avro class: fetches the writer schema by the id
 * in the header (once per id), and resolves it against the class's schema, so records written with an
 * older or newer compatible schema read fine.
 *
 * <p>Input that cannot be decoded throws {@link SerializationException} whose message says exactly why:
 * null or short payload, wrong magic byte, a schema id the registry does not know, a writer schema the
 * class cannot read, truncated or corrupt Avro, trailing bytes. Callers may dead-letter such records.
 * A registry that cannot be reached or answers with another error is not the record's fault: that throws
 * {@link SchemaRegistryException}, so good records are not dead-lettered during a registry outage.
 *
 * <p>Unlike Kafka's built-in deserializers, a null payload is an error, not a null record: no topic this
 * serde serves carries tombstones, and a null value there is a bad record to report.
 *
 * @param <T> the generated record class
 */
public final class RegistryAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    // bound to the record class by the typed constructor, or by configure() from specific.avro.*.type
    private Class<T> type;
    private SpecificData model;
    private Schema readerSchema;
    private final ConcurrentMap<Integer, DatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();

    private SchemaRegistryClient client;

    /**
     * A deserializer named by class (a properties file, {@code default.value.serde}): {@link #configure} takes the
     * record class from {@code specific.avro.value.type} (keys: {@code specific.avro.key.type}).
     */
    public RegistryAvroDeserializer() {
    }

    /** A deserializer that builds its registry client from {@link #configure}. */
    public RegistryAvroDeserializer(Class<T> type) {
        this(type, null);
    }

    /** A deserializer that uses the given registry client ({@code schema.registry.url} is then ignored). */
    public RegistryAvroDeserializer(Class<T> type, SchemaRegistryClient client) {
        bind(type);
        this.client = client;
    }

    private void bind(Class<T> recordClass) {
        this.type = recordClass;
        this.model = new GeneratedClassModel(recordClass);
        this.readerSchema = SpecificData.getForClass(recordClass).getSchema(recordClass);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = new SerdeConfig(configs);
        if (type == null) bind(SpecificTypes.fromConfig(config, isKey));
        if (client == null) client = config.createClient();
    }

    void configure(SchemaRegistryClient client) {
        this.client = client;
    }

    void configure(SerdeConfig config, SchemaRegistryClient client, boolean isKey) {
        if (type == null) bind(SpecificTypes.fromConfig(config, isKey));
        this.client = client;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (client == null || type == null) {
            throw new IllegalStateException("configure() was not called and no registry client was given");
        }
        ConfluentWireFormat frame = ConfluentWireFormat.decode(data);
        DatumReader<T> reader = readersBySchemaId.computeIfAbsent(frame.schemaId(), this::readerFor);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(frame.avro(), null);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (EOFException e) {
            throw new SerializationException("truncated Avro payload: " + frame.avro().length
                    + " bytes end before the record (writer schema id " + frame.schemaId() + ") does", e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("corrupt Avro payload for writer schema id " + frame.schemaId()
                    + ": " + e, e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new SerializationException("corrupt Avro payload for writer schema id " + frame.schemaId()
                        + ": bytes left over after the record ended");
            }
        } catch (IOException e) {
            throw new SerializationException("corrupt Avro payload for writer schema id " + frame.schemaId() + ": " + e, e);
        }
        return record;
    }

    private DatumReader<T> readerFor(int schemaId) {
        Schema writerSchema;
        try {
            writerSchema = client.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new SerializationException("unknown schema id " + schemaId + ": the registry answered "
                        + e.registryMessage() + " (error_code " + e.errorCode() + ")", e);
            }
            throw e;
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("writer schema id " + schemaId + " (" + writerSchema.getFullName()
                    + ") cannot be read as " + readerSchema.getFullName() + ": " + compatibility.getDescription());
        }
        return new SpecificDatumReader<>(writerSchema, readerSchema, model);
    }

    @Override
    public void close() {
        readersBySchemaId.clear();
    }
}
