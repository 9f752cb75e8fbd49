package io.hrmstream.worker.embedded.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.worker.embedded.EmbeddedKafkaCluster;
import io.hrmstream.worker.embedded.EmbeddedKafkaConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry's REST contract: Confluent's routes, bodies, status and error codes. */
@Tag("slow")   // starts brokers or child JVMs: the slow lane
class DevSchemaRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final String POINT_V1 = """
            {"type": "record", "name": "Point", "namespace": "test", "fields": [
              {"name": "x", "type": "int"}]}""";
    private static final String POINT_V1_REFORMATTED = """
            {"type":"record","namespace":"test","name":"Point","fields":[{"type":"int","name":"x"}]}""";
    /** adds a field with a default: BACKWARD compatible with v1 */
    private static final String POINT_V2 = """
            {"type": "record", "name": "Point", "namespace": "test", "fields": [
              {"name": "x", "type": "int"}, {"name": "y", "type": "int", "default": 0}]}""";
    /** adds a field without a default: v2 cannot read v1 data */
    private static final String POINT_NO_DEFAULT = """
            {"type": "record", "name": "Point", "namespace": "test", "fields": [
              {"name": "x", "type": "int"}, {"name": "z", "type": "int"}]}""";

    @TempDir
    static Path dataDir;
    static EmbeddedKafkaCluster cluster;
    static DevSchemaRegistry registry;

    @BeforeAll
    static void start() {
        cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaConfig.ephemeral(dataDir));
        registry = DevSchemaRegistry.start(cluster.bootstrapServers(), "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void registeringReturnsAnIdAndRegisteringTheSameSchemaAgainReturnsTheSameId() throws Exception {
        Reply first = call("POST", "/subjects/same-value/versions", schemaBody(POINT_V1));
        assertEquals(200, first.status());
        assertEquals(RegistryApi.CONTENT_TYPE, first.contentType());
        int id = first.body().get("id").asInt();
        assertTrue(id > 0);

        assertEquals(id, call("POST", "/subjects/same-value/versions", schemaBody(POINT_V1_REFORMATTED)).body().get("id").asInt());
        assertEquals(List.of(1), ints(call("GET", "/subjects/same-value/versions", null).body()));
    }

    @Test
    void oneSchemaUnderTwoSubjectsKeepsOneIdAndADifferentSchemaGetsAnother() throws Exception {
        int a = call("POST", "/subjects/shared-a/versions", schemaBody(POINT_V1)).body().get("id").asInt();
        int b = call("POST", "/subjects/shared-b/versions", schemaBody(POINT_V1)).body().get("id").asInt();
        int c = call("POST", "/subjects/shared-c/versions", schemaBody("\"string\"")).body().get("id").asInt();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void concurrentRegistrationsOfOneSchemaYieldOneVersionAndOneId() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                replies.add(pool.submit(() -> call("POST", "/subjects/concurrent/versions", schemaBody(POINT_V1))));
            }
            Set<Integer> ids = new HashSet<>();
            for (Future<Reply> reply : replies) {
                assertEquals(200, reply.get().status());
                ids.add(reply.get().body().get("id").asInt());
            }
            assertEquals(1, ids.size(), ids.toString());
            assertEquals(List.of(1), ints(call("GET", "/subjects/concurrent/versions", null).body()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void schemaByIdReturnsTheSchemaAndAnUnknownIdIs40403() throws Exception {
        int id = call("POST", "/subjects/by-id/versions", schemaBody(POINT_V1)).body().get("id").asInt();
        Reply found = call("GET", "/schemas/ids/" + id, null);
        assertEquals(200, found.status());
        assertEquals(JSON.readTree(POINT_V1), JSON.readTree(found.body().get("schema").asText()));

        assertError(call("GET", "/schemas/ids/99999", null), 404, 40403);
        assertError(call("GET", "/schemas/ids/abc", null), 404, 40403);
    }

    @Test
    void lookupReturnsSubjectIdVersionAndSchemaOr40401Or40403() throws Exception {
        int id = call("POST", "/subjects/lookup/versions", schemaBody(POINT_V1)).body().get("id").asInt();
        Reply found = call("POST", "/subjects/lookup", schemaBody(POINT_V1_REFORMATTED));
        assertEquals(200, found.status());
        assertEquals("lookup", found.body().get("subject").asText());
        assertEquals(id, found.body().get("id").asInt());
        assertEquals(1, found.body().get("version").asInt());
        assertTrue(found.body().get("schema").asText().contains("Point"));

        assertError(call("POST", "/subjects/no-such-subject", schemaBody(POINT_V1)), 404, 40401);
        assertError(call("POST", "/subjects/lookup", schemaBody(POINT_V2)), 404, 40403);
    }

    @Test
    void subjectsAndVersionsAreListedAndReadByNumberOrLatest() throws Exception {
        call("POST", "/subjects/listed/versions", schemaBody(POINT_V1));
        int v2 = call("POST", "/subjects/listed/versions", schemaBody(POINT_V2)).body().get("id").asInt();

        JsonNode subjects = call("GET", "/subjects", null).body();
        assertTrue(subjects.isArray());
        assertTrue(subjects.toString().contains("\"listed\""), subjects.toString());
        assertEquals(List.of(1, 2), ints(call("GET", "/subjects/listed/versions", null).body()));

        for (String latest : List.of("latest", "-1", "2")) {
            JsonNode version = call("GET", "/subjects/listed/versions/" + latest, null).body();
            assertEquals("listed", version.get("subject").asText());
            assertEquals(2, version.get("version").asInt());
            assertEquals(v2, version.get("id").asInt());
        }
        Reply raw = call("GET", "/subjects/listed/versions/1/schema", null);
        assertEquals(JSON.readTree(POINT_V1), raw.body());

        assertError(call("GET", "/subjects/listed/versions/3", null), 404, 40402);
        assertError(call("GET", "/subjects/listed/versions/0", null), 422, 42202);
        assertError(call("GET", "/subjects/listed/versions/one", null), 422, 42202);
        assertError(call("GET", "/subjects/nobody/versions/1", null), 404, 40401);
        assertError(call("GET", "/subjects/nobody/versions", null), 404, 40401);
    }

    @Test
    void compatibilityIsBackwardByDefaultAndSetPerSubjectOrGlobally() throws Exception {
        assertEquals("BACKWARD", call("GET", "/config", null).body().get("compatibilityLevel").asText());

        Reply set = call("PUT", "/config/configured", "{\"compatibility\": \"full_transitive\"}");
        assertEquals(200, set.status());
        assertEquals("FULL_TRANSITIVE", set.body().get("compatibility").asText());
        assertEquals("FULL_TRANSITIVE", call("GET", "/config/configured", null).body().get("compatibilityLevel").asText());

        assertError(call("GET", "/config/unconfigured", null), 404, 40408);
        assertEquals("BACKWARD", call("GET", "/config/unconfigured?defaultToGlobal=true", null).body().get("compatibilityLevel").asText());

        assertError(call("PUT", "/config/configured", "{\"compatibility\": \"SIDEWAYS\"}"), 422, 42203);
        assertError(call("PUT", "/config", "{}"), 422, 42203);

        assertEquals("FORWARD", call("PUT", "/config", "{\"compatibility\": \"FORWARD\"}").body().get("compatibility").asText());
        assertEquals("FORWARD", call("GET", "/config", null).body().get("compatibilityLevel").asText());
        call("PUT", "/config", "{\"compatibility\": \"BACKWARD\"}");
    }

    @Test
    void anIncompatibleSchemaIsRefusedWith409AndTheCompatibilityEndpointSaysWhy() throws Exception {
        call("POST", "/subjects/guarded/versions", schemaBody(POINT_V1));

        Reply tested = call("POST", "/compatibility/subjects/guarded/versions/latest?verbose=true", schemaBody(POINT_NO_DEFAULT));
        assertEquals(200, tested.status());
        assertFalse(tested.body().get("is_compatible").asBoolean());
        assertTrue(tested.body().get("messages").toString().contains("READER_FIELD_MISSING_DEFAULT_VALUE"), tested.body().toString());
        assertTrue(call("POST", "/compatibility/subjects/guarded/versions/1", schemaBody(POINT_V2)).body().get("is_compatible").asBoolean());

        Reply refused = call("POST", "/subjects/guarded/versions", schemaBody(POINT_NO_DEFAULT));
        assertError(refused, 409, 409);
        assertEquals(List.of(1), ints(call("GET", "/subjects/guarded/versions", null).body()));

        assertError(call("POST", "/compatibility/subjects/nobody/versions/latest", schemaBody(POINT_V1)), 404, 40401);
        assertError(call("POST", "/compatibility/subjects/guarded/versions/7", schemaBody(POINT_V1)), 404, 40402);

        call("PUT", "/config/guarded", "{\"compatibility\": \"NONE\"}");
        assertEquals(200, call("POST", "/subjects/guarded/versions", schemaBody(POINT_NO_DEFAULT)).status());
    }

    @Test
    void transitiveLevelsCompareWithEveryVersionNotOnlyTheLatest() throws Exception {
        // v3 = {x, y without a default} reads v2 data (which has y) but not v1 data (which lacks it)
        call("PUT", "/config/transitive", "{\"compatibility\": \"BACKWARD_TRANSITIVE\"}");
        call("POST", "/subjects/transitive/versions", schemaBody(POINT_V1));
        call("POST", "/subjects/transitive/versions", schemaBody(POINT_V2));
        String yWithoutDefault = """
                {"type": "record", "name": "Point", "namespace": "test", "fields": [
                  {"name": "x", "type": "int"}, {"name": "y", "type": "int"}]}""";
        assertTrue(call("POST", "/compatibility/subjects/transitive/versions/2", schemaBody(yWithoutDefault)).body().get("is_compatible").asBoolean());
        assertError(call("POST", "/subjects/transitive/versions", schemaBody(yWithoutDefault)), 409, 409);
    }

    @Test
    void invalidSchemasAndUnsupportedTypesAre42201AndMalformedJsonIs400() throws Exception {
        assertError(call("POST", "/subjects/bad/versions", schemaBody("{\"type\": \"record\", \"name\": \"X\"}")), 422, 42201);
        assertError(call("POST", "/subjects/bad/versions", "{}"), 422, 42201);
        assertError(call("POST", "/subjects/bad/versions", "{\"schema\": \"\\\"int\\\"\", \"schemaType\": \"PROTOBUF\"}"), 422, 42201);
        assertError(call("POST", "/subjects/bad/versions", "{\"schema\": "), 400, 400);
        assertError(call("GET", "/subjects/bad/versions", null), 404, 40401);
    }

    @Test
    void unknownRoutesAre404AndKnownRoutesWithAnotherMethodAre405() throws Exception {
        assertError(call("GET", "/no/such/route", null), 404, 404);
        assertError(call("DELETE", "/subjects", null), 405, 405);
        assertError(call("GET", "/compatibility/subjects/x/versions/latest", null), 405, 405);
        Reply root = call("GET", "/", null);
        assertEquals(200, root.status());
        assertEquals("[\"AVRO\"]", call("GET", "/schemas/types", null).body().toString());
    }

    @Test
    void schemasListsEveryVersionBySubjectPrefixOrOnlyTheLatest() throws Exception {
        int v1 = call("POST", "/subjects/listing-a/versions", schemaBody(POINT_V1)).body().get("id").asInt();
        int v2 = call("POST", "/subjects/listing-a/versions", schemaBody(POINT_V2)).body().get("id").asInt();
        call("POST", "/subjects/listing-b/versions", schemaBody(POINT_V1));

        Reply all = call("GET", "/schemas?subjectPrefix=listing-", null);
        assertEquals(200, all.status());
        assertEquals(List.of("listing-a/1/" + v1, "listing-a/2/" + v2, "listing-b/1/" + v1), versions(all.body()));
        JsonNode first = all.body().get(0);
        assertEquals(JSON.readTree(POINT_V1), JSON.readTree(first.get("schema").asText()));
        // Avro is the default type, left out as Confluent's answers leave it out
        assertFalse(first.has("schemaType"), first.toString());

        assertEquals(List.of("listing-a/2/" + v2, "listing-b/1/" + v1),
                versions(call("GET", "/schemas?subjectPrefix=listing-&latestOnly=true", null).body()));
        // nothing is ever soft-deleted here, so deleted=true lists the same versions
        assertEquals(versions(all.body()), versions(call("GET", "/schemas?subjectPrefix=listing-&deleted=true", null).body()));
        assertEquals("[]", call("GET", "/schemas?subjectPrefix=listing-none", null).body().toString());
        assertTrue(versions(call("GET", "/schemas", null).body()).containsAll(versions(all.body())));
    }

    @Test
    void theVersionsAndSubjectsOfASchemaIdAreListedAndAnUnknownIdIs40403() throws Exception {
        int id = call("POST", "/subjects/holder-a/versions", schemaBody("{\"type\": \"enum\", \"name\": \"Holder\", \"symbols\": [\"A\"]}"))
                .body().get("id").asInt();
        // holder-b changes type between its versions: its level must let it
        call("PUT", "/config/holder-b", "{\"compatibility\": \"NONE\"}");
        call("POST", "/subjects/holder-b/versions", schemaBody(POINT_V1));
        call("POST", "/subjects/holder-b/versions", schemaBody("{\"type\": \"enum\", \"name\": \"Holder\", \"symbols\": [\"A\"]}"));

        Reply versions = call("GET", "/schemas/ids/" + id + "/versions", null);
        assertEquals(200, versions.status());
        assertEquals(JSON.readTree("[{\"subject\": \"holder-a\", \"version\": 1}, {\"subject\": \"holder-b\", \"version\": 2}]"),
                versions.body());
        assertEquals(JSON.readTree("[\"holder-a\", \"holder-b\"]"), call("GET", "/schemas/ids/" + id + "/subjects", null).body());

        assertError(call("GET", "/schemas/ids/99999/versions", null), 404, 40403);
        assertError(call("GET", "/schemas/ids/abc/versions", null), 404, 40403);
        assertError(call("GET", "/schemas/ids/99999/subjects", null), 404, 40403);
    }

    @Test
    void theOnlyContextIsTheDefaultOne() throws Exception {
        Reply contexts = call("GET", "/contexts", null);
        assertEquals(200, contexts.status());
        assertEquals("[\".\"]", contexts.body().toString());
    }

    @Test
    void theModeIsReadWriteAndCannotBeChangedToAnotherMode() throws Exception {
        assertEquals("{\"mode\":\"READWRITE\"}", call("GET", "/mode", null).body().toString());
        Reply same = call("PUT", "/mode", "{\"mode\": \"readwrite\"}");
        assertEquals(200, same.status());
        assertEquals("READWRITE", same.body().get("mode").asText());

        assertError(call("PUT", "/mode", "{\"mode\": \"READONLY\"}"), 422, 42205);
        assertError(call("PUT", "/mode", "{\"mode\": \"IMPORT\"}"), 422, 42205);
        assertError(call("PUT", "/mode", "{\"mode\": \"SIDEWAYS\"}"), 422, 42204);
        assertError(call("PUT", "/mode", "{}"), 422, 42204);
        assertEquals("READWRITE", call("GET", "/mode", null).body().get("mode").asText());

        assertError(call("GET", "/mode/some-subject", null), 404, 40409);
        assertEquals("READWRITE", call("GET", "/mode/some-subject?defaultToGlobal=true", null).body().get("mode").asText());
        assertError(call("PUT", "/mode/some-subject", "{\"mode\": \"READONLY\"}"), 422, 42205);
    }

    @Test
    void subjectsIdsAndLevelsSurviveARegistryRestartAndNewIdsContinueAfterThem() throws Exception {
        int v1 = call("POST", "/subjects/durable/versions", schemaBody(POINT_V1)).body().get("id").asInt();
        int v2 = call("POST", "/subjects/durable/versions", schemaBody(POINT_V2)).body().get("id").asInt();
        call("PUT", "/config/durable", "{\"compatibility\": \"FULL\"}");

        registry.close();
        registry = DevSchemaRegistry.start(cluster.bootstrapServers(), "127.0.0.1", 0);

        assertEquals(List.of(1, 2), ints(call("GET", "/subjects/durable/versions", null).body()));
        assertEquals(v2, call("GET", "/subjects/durable/versions/latest", null).body().get("id").asInt());
        assertEquals(JSON.readTree(POINT_V1), JSON.readTree(call("GET", "/schemas/ids/" + v1, null).body().get("schema").asText()));
        assertEquals("FULL", call("GET", "/config/durable", null).body().get("compatibilityLevel").asText());
        assertEquals(v1, call("POST", "/subjects/durable/versions", schemaBody(POINT_V1)).body().get("id").asInt());

        int fresh = call("POST", "/subjects/durable-next/versions", schemaBody("{\"type\": \"fixed\", \"name\": \"F\", \"size\": 4}")).body().get("id").asInt();
        int highestBefore = 0;
        for (JsonNode subject : call("GET", "/subjects", null).body()) {
            if (!subject.asText().equals("durable-next")) {
                highestBefore = Math.max(highestBefore, call("GET", "/subjects/" + subject.asText() + "/versions/latest", null).body().get("id").asInt());
            }
        }
        assertTrue(fresh > highestBefore, "new id " + fresh + " must follow every id given out before, up to " + highestBefore);
    }

    record Reply(int status, String contentType, JsonNode body) {
    }

    static Reply call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                JSON.readTree(response.body()));
    }

    static String schemaBody(String schema) throws IOException {
        return JSON.writeValueAsString(JSON.createObjectNode().put("schema", schema));
    }

    static void assertError(Reply reply, int status, int errorCode) {
        assertEquals(status, reply.status(), reply.body().toString());
        assertEquals(errorCode, reply.body().get("error_code").asInt(), reply.body().toString());
        assertTrue(reply.body().get("message").isTextual(), reply.body().toString());
        assertEquals(RegistryApi.CONTENT_TYPE, reply.contentType());
    }

    /** "subject/version/id" of each entry of a /schemas answer. */
    static List<String> versions(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false)
                .map(v -> v.get("subject").asText() + "/" + v.get("version").asInt() + "/" + v.get("id").asInt()).toList();
    }

    static List<Integer> ints(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asInt).toList();
    }
}
