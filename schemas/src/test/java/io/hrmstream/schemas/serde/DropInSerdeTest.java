package io.hrmstream.schemas.serde;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.registry.RegistryDouble;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The serdes as Confluent's are used: built by class name (properties files, Spring, {@code default.value.serde}),
 * their record class and subject naming taken from Confluent's config keys.
 */
class DropInSerdeTest {

    private static final String TOPIC = "hrm.requests";
    private RegistryDouble registry;

    @BeforeEach
    void start() throws IOException {
        registry = new RegistryDouble();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void aSerializerAndDeserializerBuiltByClassNameTakeTheirRecordClassFromConfig() throws Exception {
        Map<String, Object> configs = configs(Map.of(SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG,
                PuzzleRequest.class.getName()));
        @SuppressWarnings("unchecked")
        Serializer<PuzzleRequest> serializer = Utils.newInstance(RegistryAvroSerializer.class.getName(), Serializer.class);
        @SuppressWarnings("unchecked")
        Deserializer<PuzzleRequest> deserializer = Utils.newInstance(RegistryAvroDeserializer.class.getName(),
                Deserializer.class);
        serializer.configure(configs, false);
        deserializer.configure(configs, false);
        assertEquals(request(), deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, request())));
    }

    @Test
    void aSerdeBuiltByClassNameRoundTrips() throws Exception {
        @SuppressWarnings("unchecked")
        Serde<PuzzleRequest> serde = Utils.newInstance(RegistryAvroSerde.class.getName(), Serde.class);
        serde.configure(configs(Map.of(SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG, PuzzleRequest.class)), false);
        assertEquals(request(), serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, request())));
    }

    @Test
    void withoutItsRecordClassASerdeBuiltByClassNameSaysWhichKeyIsMissing() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new RegistryAvroSerializer<PuzzleRequest>().configure(configs(Map.of()), false));
        assertTrue(e.getMessage().contains(SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> new RegistryAvroDeserializer<PuzzleRequest>().configure(configs(Map.of()), true));
        assertTrue(e.getMessage().contains(SerdeConfig.SPECIFIC_AVRO_KEY_TYPE_CONFIG), e.getMessage());
    }

    @Test
    void genericRecordsAreRefusedLoudly() {
        ConfigException e = assertThrows(ConfigException.class, () -> new RegistryAvroDeserializer<>(PuzzleRequest.class)
                .configure(configs(Map.of(SerdeConfig.SPECIFIC_AVRO_READER_CONFIG, "false")), false));
        assertTrue(e.getMessage().contains("generic records are not supported"), e.getMessage());
    }

    @Test
    void theSubjectNameStrategiesNameTheSubjectAsConfluentsDo() {
        for (Map.Entry<String, String> c : Map.of(
                "io.confluent.kafka.serializers.subject.TopicNameStrategy", "hrm.requests-value",
                "io.confluent.kafka.serializers.subject.RecordNameStrategy", "io.hrmstream.schemas.PuzzleRequest",
                "TopicRecordNameStrategy", "hrm.requests-io.hrmstream.schemas.PuzzleRequest").entrySet()) {
            RegistryAvroSerializer<PuzzleRequest> serializer = new RegistryAvroSerializer<>(PuzzleRequest.class);
            serializer.configure(configs(Map.of(SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG, c.getKey())), false);
            serializer.serialize(TOPIC, request());
            String registered = registry.requests().get(registry.requests().size() - 1).path();
            assertTrue(registered.contains("/subjects/" + c.getValue() + "/"), c.getKey() + " -> " + registered);
        }
        ConfigException e = assertThrows(ConfigException.class, () -> new RegistryAvroSerializer<>(PuzzleRequest.class)
                .configure(configs(Map.of(SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG, "ByColour")), false));
        assertTrue(e.getMessage().contains("unknown subject name strategy"), e.getMessage());
    }

    private Map<String, Object> configs(Map<String, Object> extra) {
        Map<String, Object> configs = new HashMap<>(extra);
        configs.put(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url().toString());
        return configs;
    }

    private static PuzzleRequest request() {
        return PuzzleRequest.newBuilder().setId("r1").setTask("sudoku")
                .setGrid(new Grid(1, 2, ByteBuffer.wrap(new byte[] {1, 0}))).setAttributes(Map.of()).build();
    }
}
