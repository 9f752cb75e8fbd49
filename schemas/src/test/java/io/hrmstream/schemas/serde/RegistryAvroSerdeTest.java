package io.hrmstream.schemas.serde;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.registry.RegistryDouble;
import io.hrmstream.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryAvroSerdeTest {

    private static final String TOPIC = "hrm.requests";
    private static final Schema REGISTERED = RegistryAvroSerializer.withoutJavaProperties(PuzzleRequest.getClassSchema());

    private RegistryDouble registry;
    private RegistryAvroSerde<PuzzleRequest> serde;

    @BeforeEach
    void start() throws IOException {
        registry = new RegistryDouble();
        serde = serde(Map.of());
    }

    @AfterEach
    void stop() {
        serde.close();
        registry.close();
    }

    private RegistryAvroSerde<PuzzleRequest> serde(Map<String, Object> extra) {
        Map<String, Object> configs = new HashMap<>(extra);
        configs.putIfAbsent(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url().toString());
        RegistryAvroSerde<PuzzleRequest> s = new RegistryAvroSerde<>(PuzzleRequest.class);
        s.configure(configs, false);
        return s;
    }

    /** A small request with every field set. */
    private static PuzzleRequest smallRequest() {
        return PuzzleRequest.newBuilder()
                .setId("r1")
                .setTask("sudoku")
                .setGrid(new Grid(1, 2, ByteBuffer.wrap(new byte[] {1, 0})))
                .setPuzzleId(3)
                .setMaxSteps(16)
                .setSubmittedAtMs(Instant.ofEpochMilli(1000))
                .setAttributes(Map.of("k", "v"))
                .build();
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
        return out;
    }

    @Test
    void serializesASmallRequestToTheHandComputedWireBytes() {
        registry.put("hrm.requests-value", 7, REGISTERED);

        byte[] actual = serde.serializer().serialize(TOPIC, smallRequest());

        byte[] expected = bytes(
                0x00, 0x00, 0x00, 0x00, 0x07,                // magic byte, schema id 7 big-endian
                0x04, 'r', '1',                              // id: length 2 (zig-zag 4), "r1"
                0x0C, 's', 'u', 'd', 'o', 'k', 'u',          // task: length 6, "sudoku"
                0x02, 0x04, 0x04, 0x01, 0x00,                // grid: rows 1, cols 2, cells length 2, [1, 0]
                0x06,                                        // puzzleId 3
                0x02, 0x20,                                  // maxSteps: union branch 1 (int), 16
                0x02, 0xD0, 0x0F,                            // submittedAtMs: branch 1 (long), 1000 (zig-zag 2000)
                0x02, 0x02, 'k', 0x02, 'v', 0x00,            // attributes: 1 entry "k" -> "v", end of map
                0x00);                                       // samples: union branch 0 (null)
        assertArrayEquals(expected, actual);
    }

    @Test
    void roundTripsARequestThroughTheRegistry() {
        PuzzleRequest sparse = PuzzleRequest.newBuilder().setId("r2").setTask("maze")
                .setGrid(new Grid(2, 2, ByteBuffer.wrap("S #G".getBytes()))).build();

        for (PuzzleRequest request : new PuzzleRequest[] {smallRequest(), sparse}) {
            byte[] wire = serde.serializer().serialize(TOPIC, request);
            assertEquals(request, serde.deserializer().deserialize(TOPIC, wire));
        }
    }

    @Test
    void roundTripsASolutionWithItsEnumsAndNestedGrid() {
        RegistryAvroSerde<PuzzleSolution> solutions = new RegistryAvroSerde<>(PuzzleSolution.class);
        solutions.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url().toString()), false);
        PuzzleSolution solution = PuzzleSolution.newBuilder()
                .setRequestId("r1").setTask("sudoku").setStatus(io.hrmstream.schemas.SolveStatus.SOLVED)
                .setSolution(new Grid(1, 1, ByteBuffer.wrap(new byte[] {9}))).setSteps(4).setMaxSteps(16)
                .setHaltedBy(io.hrmstream.schemas.HaltReason.Q_HALT).setHaltConfidence(0.9f).setModel("hrm")
                .setWorkerId("w1").setBatchSize(3).setQueuedMs(1).setInferenceMs(2).setLatencyMs(5L)
                .build();

        byte[] wire = solutions.serializer().serialize("hrm.solutions", solution);

        assertEquals(solution, solutions.deserializer().deserialize("hrm.solutions", wire));
        assertEquals("/subjects/hrm.solutions-value/versions", registry.requests().get(0).path());
    }

    @Test
    void registersTheSchemaOfTheAvscFileUnderTheTopicValueSubject() throws IOException {
        serde.serializer().serialize(TOPIC, smallRequest());

        RegistryDouble.Request register = registry.requests().get(0);
        assertEquals("/subjects/hrm.requests-value/versions", register.path());
        assertFalse(register.body().contains("avro.java.string"), "Java-only properties are not registered");
        Schema.Parser avsc = new Schema.Parser();
        avsc.parse(Path.of("src/main/avro/Grid.avsc").toFile());
        assertEquals(avsc.parse(Path.of("src/main/avro/PuzzleRequest.avsc").toFile()), REGISTERED);
    }

    @Test
    void aKeySerdeUsesTheTopicKeySubject() {
        RegistryAvroSerializer<PuzzleRequest> keys = new RegistryAvroSerializer<>(PuzzleRequest.class);
        keys.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url().toString()), true);

        keys.serialize(TOPIC, smallRequest());

        assertEquals("/subjects/hrm.requests-key/versions", registry.requests().get(0).path());
    }

    @Test
    void schemaIdsAndWriterSchemasAreFetchedOncePerSubjectAndId() {
        for (int i = 0; i < 3; i++) {
            byte[] wire = serde.serializer().serialize(TOPIC, smallRequest());
            serde.deserializer().deserialize(TOPIC, wire);
        }

        assertEquals(2, registry.requests().size(), "one register, one fetch by id");
    }

    @Test
    void aNullRecordSerializesToNull() {
        assertNull(serde.serializer().serialize(TOPIC, null));
    }

    @Test
    void withoutAutoRegisterTheSchemaIsLookedUp() {
        registry.put("hrm.requests-value", 12, REGISTERED);
        RegistryAvroSerde<PuzzleRequest> lookup = serde(Map.of(SerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "false"));

        byte[] wire = lookup.serializer().serialize(TOPIC, smallRequest());

        assertEquals(12, ConfluentWireFormat.decode(wire).schemaId());
        assertEquals("POST", registry.requests().get(0).method());
        assertEquals("/subjects/hrm.requests-value", registry.requests().get(0).path());
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaFailsNamingTheSubject() {
        RegistryAvroSerde<PuzzleRequest> lookup = serde(Map.of(SerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false));

        SerializationException e = assertThrows(SerializationException.class,
                () -> lookup.serializer().serialize(TOPIC, smallRequest()));

        assertTrue(e.getMessage().startsWith("could not get a schema id for PuzzleRequest under subject hrm.requests-value"),
                e.getMessage());
    }

    @Test
    void useLatestVersionWritesWithTheLatestSchemaAndItsId() {
        Schema newer = withExtraField(REGISTERED, "priority", "int", 5);
        registry.put("hrm.requests-value", 1, REGISTERED);
        registry.put("hrm.requests-value", 2, newer);
        RegistryAvroSerde<PuzzleRequest> latest = serde(Map.of(SerdeConfig.USE_LATEST_VERSION_CONFIG, true));

        byte[] wire = latest.serializer().serialize(TOPIC, smallRequest());

        assertEquals(2, ConfluentWireFormat.decode(wire).schemaId());
        assertEquals(smallRequest(), latest.deserializer().deserialize(TOPIC, wire));
        assertEquals("GET", registry.requests().get(0).method());
        assertEquals("/subjects/hrm.requests-value/versions/latest", registry.requests().get(0).path());
    }

    @Test
    void useLatestVersionRefusesALatestSchemaThatCannotHoldTheRecord() {
        registry.put("hrm.requests-value", 1, PuzzleSolution.getClassSchema());
        RegistryAvroSerde<PuzzleRequest> latest = serde(Map.of(SerdeConfig.USE_LATEST_VERSION_CONFIG, true));

        SerializationException e = assertThrows(SerializationException.class,
                () -> latest.serializer().serialize(TOPIC, smallRequest()));

        assertTrue(e.getMessage().contains("cannot hold PuzzleRequest records"), e.getMessage());
    }

    @Test
    void readsRecordsWrittenWithAnOlderSchemaFillingDefaults() throws IOException {
        // the first draft of the request: no puzzleId, maxSteps, submittedAtMs or attributes
        Schema older = new Schema.Parser().parse("""
                {"type": "record", "name": "PuzzleRequest", "namespace": "io.hrmstream.schemas", "fields": [
                  {"name": "id", "type": "string"}, {"name": "task", "type": "string"},
                  {"name": "grid", "type": {"type": "record", "name": "Grid", "fields": [
                    {"name": "rows", "type": "int"}, {"name": "cols", "type": "int"}, {"name": "cells", "type": "bytes"}]}}]}""");
        registry.put("hrm.requests-value", 3, older);
        GenericRecord grid = new GenericData.Record(older.getField("grid").schema());
        grid.put("rows", 1);
        grid.put("cols", 1);
        grid.put("cells", ByteBuffer.wrap(new byte[] {5}));
        GenericRecord record = new GenericData.Record(older);
        record.put("id", "old");
        record.put("task", "sudoku");
        record.put("grid", grid);

        PuzzleRequest read = serde.deserializer().deserialize(TOPIC, frame(3, older, record));

        PuzzleRequest expected = PuzzleRequest.newBuilder().setId("old").setTask("sudoku")
                .setGrid(new Grid(1, 1, ByteBuffer.wrap(new byte[] {5}))).build();
        assertEquals(expected, read);
        assertEquals(0, read.getPuzzleId());
        assertEquals(Map.of(), read.getAttributes());
    }

    @Test
    void undecodableInputSaysExactlyWhy() {
        registry.put("hrm.requests-value", 7, REGISTERED);
        registry.put("hrm.solutions-value", 8, PuzzleSolution.getClassSchema());
        byte[] good = serde.serializer().serialize(TOPIC, smallRequest());
        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        byte[] trailing = Arrays.copyOf(good, good.length + 2);
        byte[] badUnion = good.clone();
        badUnion[21] = 0x08; // maxSteps union branch 4: the union has 2 branches
        byte[] unknownId = good.clone();
        unknownId[4] = 99;
        byte[] otherRecord = good.clone();
        otherRecord[4] = 8;

        assertEquals("payload is null; expected the Confluent wire format (magic byte 0x00, 4-byte schema id, Avro binary)",
                reason(null));
        assertEquals("payload is 2 bytes, shorter than the 5-byte Confluent wire-format header "
                + "(magic byte 0x00, 4-byte schema id)", reason(new byte[] {0, 0}));
        assertEquals("unknown magic byte 0x01 (expected 0x00): not the Confluent wire format",
                reason(new byte[] {1, 0, 0, 0, 7, 0}));
        assertEquals("unknown schema id 99: the registry answered Schema 99 not found (error_code 40403)",
                reason(unknownId));
        assertEquals("truncated Avro payload: " + (good.length - 8) + " bytes end before the record (writer schema id 7) does",
                reason(truncated));
        assertEquals("corrupt Avro payload for writer schema id 7: bytes left over after the record ended",
                reason(trailing));
        assertTrue(reason(badUnion).startsWith("corrupt Avro payload for writer schema id 7: "), reason(badUnion));
        assertTrue(reason(otherRecord).startsWith("writer schema id 8 (io.hrmstream.schemas.PuzzleSolution) "
                + "cannot be read as io.hrmstream.schemas.PuzzleRequest: "), reason(otherRecord));
    }

    @Test
    void aCorruptLengthDoesNotAllocateItsClaimedSize() {
        registry.put("hrm.requests-value", 7, REGISTERED);
        // id: a string claiming 1 GiB (zig-zag varint of 2^30), followed by nothing
        byte[] wire = bytes(0x00, 0x00, 0x00, 0x00, 0x07, 0x80, 0x80, 0x80, 0x80, 0x08);

        assertTrue(reason(wire).startsWith("truncated Avro payload"), reason(wire));
    }

    @Test
    void anUnreachableRegistryIsNotReportedAsABadRecord() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        RegistryAvroSerde<PuzzleRequest> offline = serde(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG,
                "http://127.0.0.1:" + deadPort));

        assertThrows(SchemaRegistryException.class,
                () -> offline.deserializer().deserialize(TOPIC, bytes(0, 0, 0, 0, 7, 0)));
    }

    @Test
    void basicAuthUserInfoIsSentToTheRegistry() {
        registry.requireBasicAuth("svc:pw");
        RegistryAvroSerde<PuzzleRequest> authed = serde(Map.of(
                SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                SerdeConfig.BASIC_AUTH_USER_INFO_CONFIG, "svc:pw"));

        byte[] wire = authed.serializer().serialize(TOPIC, smallRequest());

        assertEquals(smallRequest(), authed.deserializer().deserialize(TOPIC, wire));
    }

    @Test
    void aStaticBearerTokenIsSentToTheRegistry() {
        registry.requireAuthorization("Bearer tok-123");
        RegistryAvroSerde<PuzzleRequest> authed = serde(Map.of(
                SerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, "STATIC_TOKEN",
                SerdeConfig.BEARER_AUTH_TOKEN_CONFIG, "tok-123"));

        byte[] wire = authed.serializer().serialize(TOPIC, smallRequest());

        assertEquals(smallRequest(), authed.deserializer().deserialize(TOPIC, wire));
        assertTrue(registry.requests().stream().allMatch(r -> "Bearer tok-123".equals(r.header("Authorization"))));
    }

    private String reason(byte[] wire) {
        return assertThrows(SerializationException.class, () -> serde.deserializer().deserialize(TOPIC, wire)).getMessage();
    }

    private static byte[] frame(int schemaId, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return new ConfluentWireFormat(schemaId, out.toByteArray()).encode();
    }

    /** The schema with one more field, with a default (a compatible evolution). */
    private static Schema withExtraField(Schema schema, String name, String type, int defaultValue) {
        String json = schema.toString();
        String extra = ",{\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"default\":" + defaultValue + "}]}";
        return new Schema.Parser().parse(json.substring(0, json.length() - 2) + extra);
    }
}
