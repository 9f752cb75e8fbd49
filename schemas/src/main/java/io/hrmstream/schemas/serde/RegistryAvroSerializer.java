package io.hrmstream.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hrmstream.schemas.registry.RegisteredSchema;
import io.hrmstream.schemas.registry.SchemaRegistryClient;
import io.hrmstream.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Writes generated Avro records in Confluent's wire format ({@link ConfluentWireFormat}), with the schema
 * id from a Schema Registry, under the subject {@code <topic>-value} (or {@code <topic>-key}):
 * Confluent's TopicNameStrategy.
 *
 * <p>The schema id comes, once per subject, from one of (see {@link SerdeConfig}):
 * <ul>
 *   <li>{@code use.latest.version=true}: the subject's latest version, which must be able to read records
 *       of this class; records are rewritten into it when it differs;</li>
 *   <li>{@code auto.register.schemas=true} (default): registering the class's schema;</li>
 *   <li>otherwise: looking the class's schema up under the subject.</li>
 * </ul>
 * Every failure, registry errors included, is a {@link SerializationException} (as with Confluent's
 * serializer). A null record serializes to null (a tombstone).
 *
 * @param <T> the generated record class
 */
public final class RegistryAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private static final ObjectMapper JSON = new ObjectMapper();

    // bound to the record class by the typed constructor, or by configure() from specific.avro.*.type
    private Class<T> type;
    private SpecificData model;
    /** The class's own schema, with the Java-only properties the code generator adds. */
    private Schema recordSchema;
    /** The schema registered for this class: {@link #recordSchema} without Java-only properties. */
    private Schema registeredSchema;
    private DatumWriter<T> recordWriter;
    private final ConcurrentMap<String, SubjectWriter<T>> writersBySubject = new ConcurrentHashMap<>();

    private SchemaRegistryClient client;
    private boolean isKey;
    private boolean autoRegister = true;
    private boolean useLatestVersion = false;
    private SubjectNameStrategy subjectNames = SubjectNameStrategy.TOPIC_NAME;

    /**
     * A serializer named by class (a properties file, {@code default.value.serde}): {@link #configure} takes the
     * record class from {@code specific.avro.value.type} (keys: {@code specific.avro.key.type}).
     */
    public RegistryAvroSerializer() {
    }

    /** A serializer that builds its registry client from {@link #configure}. */
    public RegistryAvroSerializer(Class<T> type) {
        this(type, null);
    }

    /** A serializer that uses the given registry client ({@code schema.registry.url} is then ignored). */
    public RegistryAvroSerializer(Class<T> type, SchemaRegistryClient client) {
        bind(type);
        this.client = client;
    }

    private void bind(Class<T> recordClass) {
        this.type = recordClass;
        this.model = SpecificData.getForClass(recordClass);
        this.recordSchema = model.getSchema(recordClass);
        this.registeredSchema = withoutJavaProperties(recordSchema);
        this.recordWriter = new SpecificDatumWriter<>(recordSchema, model);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = new SerdeConfig(configs);
        configure(config, client != null ? client : config.createClient(), isKey);
    }

    void configure(SerdeConfig config, SchemaRegistryClient client, boolean isKey) {
        if (type == null) bind(SpecificTypes.fromConfig(config, isKey));
        this.client = client;
        this.isKey = isKey;
        this.autoRegister = config.autoRegisterSchemas();
        this.useLatestVersion = config.useLatestVersion();
        this.subjectNames = config.subjectNameStrategy(isKey);
        writersBySubject.clear();
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) return null;
        if (client == null) throw new IllegalStateException("configure() was not called and no registry client was given");
        SubjectWriter<T> writer = writersBySubject.computeIfAbsent(subjectNames.subject(topic, isKey, recordSchema),
                this::writerFor);
        try {
            return new ConfluentWireFormat(writer.schemaId(), writer.write(record)).encode();
        } catch (RuntimeException e) {
            throw new SerializationException("could not write " + type.getSimpleName() + " for topic " + topic
                    + " as Avro: " + e, e);
        }
    }

    /** Confluent's TopicNameStrategy. */
    static String subjectName(String topic, boolean isKey) {
        return SubjectNameStrategy.TOPIC_NAME.subject(topic, isKey, null);
    }

    private SubjectWriter<T> writerFor(String subject) {
        try {
            if (useLatestVersion) return latestVersionWriter(subject);
            int id = autoRegister
                    ? client.register(subject, registeredSchema)
                    : client.lookup(subject, registeredSchema).id();
            return new SubjectWriter<>(id, this::writeRecord);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("could not get a schema id for " + type.getSimpleName()
                    + " under subject " + subject + ": " + e.getMessage(), e);
        }
    }

    private SubjectWriter<T> latestVersionWriter(String subject) {
        RegisteredSchema latest = client.latestVersion(subject);
        Schema target = latest.schema();
        if (SchemaNormalization.parsingFingerprint64(target) == SchemaNormalization.parsingFingerprint64(recordSchema)) {
            // same binary encoding: write the record as it is
            return new SubjectWriter<>(latest.id(), this::writeRecord);
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(target, recordSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("the latest schema of subject " + subject + " (id " + latest.id()
                    + ", version " + latest.version() + ") cannot hold " + type.getSimpleName() + " records: "
                    + compatibility.getDescription());
        }
        // resolve the record's encoding into the latest schema, then write that
        GenericDatumReader<Object> resolver = new GenericDatumReader<>(recordSchema, target, GenericData.get());
        GenericDatumWriter<Object> targetWriter = new GenericDatumWriter<>(target, GenericData.get());
        return new SubjectWriter<>(latest.id(), record -> {
            try {
                Object resolved = resolver.read(null, DecoderFactory.get().binaryDecoder(writeRecord(record), null));
                return write(targetWriter, resolved);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private byte[] writeRecord(T record) {
        return write(recordWriter, record);
    }

    private static <D> byte[] write(DatumWriter<D> writer, D datum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(datum, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The schema without {@code avro.java.string}, which the Java code generator adds and other languages
     * ignore: registered this way, the schema is the one a Python or Go client registers from the same
     * .avsc file, so all of them share one schema id.
     */
    static Schema withoutJavaProperties(Schema schema) {
        try {
            JsonNode tree = JSON.readTree(schema.toString());
            removeJavaProperties(tree);
            return new Schema.Parser().parse(JSON.writeValueAsString(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void removeJavaProperties(JsonNode node) {
        if (node instanceof ObjectNode object) object.remove("avro.java.string");
        // a {"type": "string"} left without properties parses back to the plain "string"
        node.forEach(RegistryAvroSerializer::removeJavaProperties);
    }

    @Override
    public void close() {
        writersBySubject.clear();
    }

    /** How records are written under one subject: the schema id and the payload encoding. */
    private record SubjectWriter<T>(int schemaId, PayloadWriter<T> payload) {
        byte[] write(T record) {
            return payload.write(record);
        }
    }

    @FunctionalInterface
    private interface PayloadWriter<T> {
        byte[] write(T record);
    }
}
