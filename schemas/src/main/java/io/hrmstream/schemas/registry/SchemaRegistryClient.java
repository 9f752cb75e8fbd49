package io.hrmstream.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client for the part of the Confluent Schema Registry REST API that a serde needs: register a schema,
 * look one up, fetch the latest version of a subject, and fetch a schema by id. Speaks the protocol every
 * Confluent-compatible registry implements (Confluent Schema Registry, Redpanda, Apicurio's ccompat API,
 * Karapace), with {@code application/vnd.schemaregistry.v1+json}, HTTP basic or bearer auth
 * ({@link RegistryAuthentication}), TLS with a truststore and a client key ({@link RegistryTls}) and failover
 * across several URLs.
 *
 * <p>Written by hand because Confluent's own client is not on Maven Central; it is small, built on
 * {@link HttpClient} and Jackson, and holds no cache (the serde caches what it needs).
 *
 * <p>Failover follows Confluent's client: requests go to the URL that last answered; when it cannot be
 * reached (I/O error, timeout) or answers 502/503/504 the next URL is tried, once each. Any other answer,
 * error or not, is final.
 */
public final class SchemaRegistryClient {

    /** Confluent's client sends this Accept header; registries pick the first type they serve. */
    static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Gateway answers: this node is not serving, another one may be. */
    private static final Set<Integer> FAILOVER_STATUSES = Set.of(502, 503, 504);

    private final List<String> baseUrls;
    private final RegistryAuthentication authentication;
    private final Duration requestTimeout;
    private final HttpClient http;
    /** Index into baseUrls of the registry that answered last. */
    private final AtomicInteger current = new AtomicInteger();

    /**
     * A client over plain HTTP or TLS with the JDK's defaults.
     *
     * @param baseUrls          registry base URLs, tried in order; may carry a path prefix
     *                          (e.g. Apicurio's {@code http://host:8080/apis/ccompat/v7})
     * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, if the registry needs it
     * @param requestTimeout    how long one request to one URL may take
     */
    public SchemaRegistryClient(List<URI> baseUrls, Optional<String> basicAuthUserInfo, Duration requestTimeout) {
        this(baseUrls, basicAuthUserInfo.map(RegistryAuthentication::basic).orElse(RegistryAuthentication.none()),
                RegistryTls.jdkDefaults(), requestTimeout);
    }

    /**
     * @param baseUrls       registry base URLs, tried in order; may carry a path prefix
     *                       (e.g. Apicurio's {@code http://host:8080/apis/ccompat/v7})
     * @param authentication the credentials sent with each request
     * @param tls            how {@code https://} URLs are reached
     * @param requestTimeout how long one request to one URL may take
     */
    public SchemaRegistryClient(List<URI> baseUrls, RegistryAuthentication authentication, RegistryTls tls,
                                Duration requestTimeout) {
        if (baseUrls.isEmpty()) throw new IllegalArgumentException("at least one schema registry URL is needed");
        this.baseUrls = baseUrls.stream().map(SchemaRegistryClient::withoutTrailingSlash).toList();
        this.authentication = authentication;
        this.requestTimeout = requestTimeout;
        HttpClient.Builder http = HttpClient.newBuilder()
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL);
        tls.context().ifPresent(http::sslContext);
        this.http = http.build();
    }

    private static String withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The base URLs, in failover order. */
    public List<String> baseUrls() {
        return baseUrls;
    }

    /**
     * Registers the schema under the subject ({@code POST /subjects/{subject}/versions}) and returns its
     * id; registering a schema the subject already holds returns the existing id.
     *
     * @throws SchemaRegistryException e.g. 409 when the schema is incompatible with the subject's versions
     */
    public int register(String subject, Schema schema) {
        JsonNode body = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema),
                "registering a schema under subject " + subject);
        return requiredInt(body, "id", "register");
    }

    /**
     * Finds the version of the subject that holds this schema ({@code POST /subjects/{subject}}).
     *
     * @throws SchemaRegistryException 404 with error_code 40401 (no such subject) or 40403 (not registered)
     */
    public RegisteredSchema lookup(String subject, Schema schema) {
        JsonNode body = send("POST", "/subjects/" + encode(subject), schemaBody(schema),
                "looking up a schema under subject " + subject);
        return registered(body, subject, schema);
    }

    /** The latest version of the subject ({@code GET /subjects/{subject}/versions/latest}). */
    public RegisteredSchema latestVersion(String subject) {
        JsonNode body = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null,
                "fetching the latest version of subject " + subject);
        return registered(body, subject, null);
    }

    /**
     * The schema with this id ({@code GET /schemas/ids/{id}}).
     *
     * @throws SchemaRegistryException 404 with error_code 40403 when no schema has this id
     */
    public Schema schemaById(int id) {
        String context = "fetching schema id " + id;
        JsonNode body = send("GET", "/schemas/ids/" + id, null, context);
        return parseAvro(body, context);
    }

    private RegisteredSchema registered(JsonNode body, String subject, Schema known) {
        String context = "reading subject " + subject;
        int id = requiredInt(body, "id", context);
        int version = requiredInt(body, "version", context);
        // lookup answers carry the schema as stored, which may differ in formatting from the one sent
        Schema schema = body.hasNonNull("schema") ? parseAvro(body, context) : known;
        String name = body.hasNonNull("subject") ? body.get("subject").asText() : subject;
        return new RegisteredSchema(name, id, version, schema);
    }

    private static Schema parseAvro(JsonNode body, String context) {
        // schemaType is absent for Avro (the default) in Confluent's answers
        String type = body.hasNonNull("schemaType") ? body.get("schemaType").asText() : "AVRO";
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException(200, 0, "the schema is of type " + type + ", not AVRO", context, null);
        }
        if (!body.hasNonNull("schema")) {
            throw new SchemaRegistryException(200, 0, "the answer has no 'schema' field: " + body, context, null);
        }
        try {
            return new Schema.Parser().parse(body.get("schema").asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(200, 0, "the registry returned an unparseable Avro schema: "
                    + e.getMessage(), context, e);
        }
    }

    private static int requiredInt(JsonNode body, String field, String context) {
        JsonNode value = body.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException(200, 0, "the answer has no integer '" + field + "': " + body, context, null);
        }
        return value.intValue();
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        // schemaType is left out: AVRO is the default, and older registries reject the field
        body.put("schema", schema.toString());
        return body.toString();
    }

    /** Percent-encodes a path segment ({@link URLEncoder} is for forms: it writes spaces as '+'). */
    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Sends the request to the current registry, failing over to the next ones; returns the JSON answer. */
    private JsonNode send(String method, String path, String jsonBody, String context) {
        int start = current.get();
        String lastFailure = "";
        Exception lastCause = null;
        for (int attempt = 0; attempt < baseUrls.size(); attempt++) {
            int index = (start + attempt) % baseUrls.size();
            String url = baseUrls.get(index) + path;
            HttpResponse<String> response;
            try {
                response = http.send(request(method, url, jsonBody), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                lastFailure = url + ": " + e;
                lastCause = e;
                log.warn("Schema registry {} did not answer ({}), trying the next URL", baseUrls.get(index), e.toString());
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(SchemaRegistryException.NO_RESPONSE, 0, "interrupted", context, e);
            }
            if (FAILOVER_STATUSES.contains(response.statusCode())) {
                lastFailure = url + ": HTTP " + response.statusCode();
                log.warn("Schema registry {} answered HTTP {}, trying the next URL", baseUrls.get(index), response.statusCode());
                continue;
            }
            current.set(index);
            return answer(response, context);
        }
        throw new SchemaRegistryException(SchemaRegistryException.NO_RESPONSE, 0,
                "no schema registry answered " + baseUrls + "; last failure " + lastFailure, context, lastCause);
    }

    private HttpRequest request(String method, String url, String jsonBody) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(requestTimeout)
                .header("Accept", ACCEPT);
        authentication.headers().forEach(builder::header);
        if (jsonBody == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** The JSON body of a 2xx answer; for any other status, Confluent's error body as an exception. */
    private static JsonNode answer(HttpResponse<String> response, String context) {
        int status = response.statusCode();
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            body = null;
        }
        if (status / 100 == 2) {
            if (body == null || !body.isObject()) {
                throw new SchemaRegistryException(status, 0, "the answer is not a JSON object: "
                        + abbreviate(response.body()), context, null);
            }
            return body;
        }
        // Confluent's error body: {"error_code": 40403, "message": "Schema not found"}
        if (body != null && body.isObject() && body.has("error_code")) {
            String message = body.hasNonNull("message") ? body.get("message").asText() : "";
            throw new SchemaRegistryException(status, body.get("error_code").asInt(status), message, context, null);
        }
        throw new SchemaRegistryException(status, status, abbreviate(response.body()), context, null);
    }

    private static String abbreviate(String text) {
        if (text == null || text.isBlank()) return "(empty body)";
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
