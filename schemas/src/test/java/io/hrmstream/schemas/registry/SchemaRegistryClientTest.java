package io.hrmstream.schemas.registry;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaRegistryClientTest {

    private static final Schema REQUEST = PuzzleRequest.getClassSchema();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private RegistryDouble registry;

    @BeforeEach
    void start() throws IOException {
        registry = new RegistryDouble();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private SchemaRegistryClient client(URI... urls) {
        return new SchemaRegistryClient(List.of(urls), Optional.empty(), TIMEOUT);
    }

    @Test
    void registerPostsTheSchemaToTheSubjectsVersionsWithTheRegistryMediaType() {
        int id = client(registry.url()).register("hrm.requests-value", REQUEST);

        assertEquals(1, id);
        RegistryDouble.Request request = registry.requests().get(0);
        assertEquals("POST", request.method());
        assertEquals("/subjects/hrm.requests-value/versions", request.path());
        assertEquals("application/vnd.schemaregistry.v1+json", request.header("Content-Type"));
        assertTrue(request.header("Accept").startsWith("application/vnd.schemaregistry.v1+json"));
        assertEquals("{\"schema\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(REQUEST.toString()) + "}",
                request.body());
        assertNull(request.header("Authorization"));
    }

    @Test
    void registeringTheSameSchemaTwiceReturnsTheSameId() {
        SchemaRegistryClient client = client(registry.url());
        int first = client.register("hrm.requests-value", REQUEST);
        int second = client.register("hrm.requests-value", REQUEST);
        int other = client.register("hrm.solutions-value", PuzzleSolution.getClassSchema());

        assertEquals(first, second);
        assertEquals(2, other);
    }

    @Test
    void schemaByIdFetchesSchemasIds() {
        registry.put("hrm.requests-value", 42, REQUEST);

        Schema schema = client(registry.url()).schemaById(42);

        assertEquals(REQUEST, schema);
        assertEquals("/schemas/ids/42", registry.requests().get(0).path());
        assertEquals("GET", registry.requests().get(0).method());
    }

    @Test
    void lookupAndLatestVersionReportSubjectIdVersionAndSchema() {
        registry.put("hrm.requests-value", 7, REQUEST);
        registry.put("hrm.requests-value", 9, PuzzleSolution.getClassSchema());
        SchemaRegistryClient client = client(registry.url());

        RegisteredSchema found = client.lookup("hrm.requests-value", REQUEST);
        RegisteredSchema latest = client.latestVersion("hrm.requests-value");

        assertEquals(new RegisteredSchema("hrm.requests-value", 7, 1, REQUEST), found);
        assertEquals(new RegisteredSchema("hrm.requests-value", 9, 2, PuzzleSolution.getClassSchema()), latest);
        assertEquals("/subjects/hrm.requests-value", registry.requests().get(0).path());
        assertEquals("/subjects/hrm.requests-value/versions/latest", registry.requests().get(1).path());
    }

    @Test
    void subjectsArePercentEncodedInThePath() {
        client(registry.url()).register("odd subject/name", REQUEST);

        assertEquals("/subjects/odd%20subject%2Fname/versions", registry.requests().get(0).path());
    }

    @Test
    void aBaseUrlWithAPathPrefixKeepsThePrefix() throws IOException {
        try (RegistryDouble apicurio = new RegistryDouble("/apis/ccompat/v7")) {
            int id = client(URI.create(apicurio.url() + "/")).register("hrm.requests-value", REQUEST);

            assertEquals(1, id);
            assertEquals("/apis/ccompat/v7/subjects/hrm.requests-value/versions", apicurio.requests().get(0).path());
        }
    }

    @Test
    void confluentErrorBodiesBecomeExceptionsWithErrorCodeAndMessage() {
        SchemaRegistryException notFound = assertThrows(SchemaRegistryException.class,
                () -> client(registry.url()).schemaById(5));

        assertEquals(404, notFound.status());
        assertEquals(SchemaRegistryException.SCHEMA_NOT_FOUND, notFound.errorCode());
        assertEquals("Schema 5 not found", notFound.registryMessage());
        assertTrue(notFound.isNotFound());
        assertEquals("fetching schema id 5: Schema 5 not found (HTTP 404, error_code 40403)", notFound.getMessage());
    }

    @Test
    void lookupOfAnUnknownSubjectReportsSubjectNotFound() {
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client(registry.url()).lookup("nope-value", REQUEST));

        assertEquals(SchemaRegistryException.SUBJECT_NOT_FOUND, e.errorCode());
    }

    @Test
    void anIncompatibleRegistrationReports409() {
        registry.failNext(409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema\"}");

        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client(registry.url()).register("hrm.requests-value", REQUEST));

        assertEquals(409, e.status());
        assertEquals(SchemaRegistryException.INCOMPATIBLE_SCHEMA, e.errorCode());
        assertEquals("Schema being registered is incompatible with an earlier schema", e.registryMessage());
    }

    @Test
    void aNonJsonErrorBodyIsReportedVerbatimWithTheStatusAsCode() {
        registry.failNext(500, "<html>proxy error</html>");

        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client(registry.url()).schemaById(1));

        assertEquals(500, e.status());
        assertEquals(500, e.errorCode());
        assertEquals("<html>proxy error</html>", e.registryMessage());
    }

    @Test
    void basicAuthSendsTheUserInfoAsAuthorizationHeader() {
        registry.requireBasicAuth("alice:s3cret");
        SchemaRegistryClient withAuth = new SchemaRegistryClient(List.of(registry.url()), Optional.of("alice:s3cret"), TIMEOUT);

        assertEquals(1, withAuth.register("hrm.requests-value", REQUEST));
        assertEquals("Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(UTF_8)),
                registry.requests().get(0).header("Authorization"));

        SchemaRegistryException refused = assertThrows(SchemaRegistryException.class,
                () -> client(registry.url()).register("hrm.requests-value", REQUEST));
        assertEquals(401, refused.status());
    }

    @Test
    void aStaticBearerTokenIsSentAsTheAuthorizationHeaderWithItsClusterAndIdentityPool() {
        registry.requireAuthorization("Bearer tok-123");
        SchemaRegistryClient withToken = new SchemaRegistryClient(List.of(registry.url()),
                RegistryAuthentication.bearer("tok-123", Optional.of("lsrc-1"), Optional.of("pool-2")),
                RegistryTls.jdkDefaults(), TIMEOUT);

        assertEquals(1, withToken.register("hrm.requests-value", REQUEST));
        RegistryDouble.Request request = registry.requests().get(0);
        assertEquals("lsrc-1", request.header("target-sr-cluster"));
        assertEquals("pool-2", request.header("Confluent-Identity-Pool-Id"));

        SchemaRegistryException refused = assertThrows(SchemaRegistryException.class,
                () -> client(registry.url()).register("hrm.requests-value", REQUEST));
        assertEquals(401, refused.status());
    }

    @Test
    void anUnreachableRegistryFailsOverToTheNextUrlAndStaysThere() throws IOException {
        SchemaRegistryClient client = client(deadUrl(), registry.url());

        assertEquals(1, client.register("hrm.requests-value", REQUEST));
        assertEquals(REQUEST, client.schemaById(1));
        // the second call went straight to the live registry
        assertEquals(2, registry.requests().size());
    }

    @Test
    void aServiceUnavailableAnswerFailsOverToTheNextUrl() throws IOException {
        try (RegistryDouble down = new RegistryDouble()) {
            down.failNext(503, "");
            SchemaRegistryClient client = client(down.url(), registry.url());

            assertEquals(1, client.register("hrm.requests-value", REQUEST));
            assertEquals(1, down.requests().size());
        }
    }

    @Test
    void whenNoUrlAnswersTheExceptionSaysSoWithoutStatus() throws IOException {
        SchemaRegistryClient client = client(deadUrl(), deadUrl());

        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.schemaById(1));

        assertEquals(SchemaRegistryException.NO_RESPONSE, e.status());
        assertTrue(e.getMessage().startsWith("fetching schema id 1: no schema registry answered"), e.getMessage());
    }

    /** A URL on which nothing listens: connections are refused. */
    private static URI deadUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }
}
