package io.hrmstream.worker.embedded.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.hrmstream.worker.embedded.registry.SchemaStore.RegisteredSchema;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The REST routes of Confluent Schema Registry that Kafka clients use, over {@link SchemaStore}: register, fetch by
 * id, look up, list subjects and versions, read and set compatibility, test compatibility. Avro only. It also answers
 * the read-only routes registry UIs and connectors call on start-up: {@code /schemas} (filtered by
 * {@code subjectPrefix}, {@code latestOnly}; {@code deleted} changes nothing, as nothing is ever deleted here),
 * {@code /schemas/ids/{id}/versions} and {@code /subjects}, {@code /contexts} (only the default context {@code .})
 * and {@code /mode}, which is always {@code READWRITE}: setting it to READWRITE is accepted (it changes nothing), any
 * other mode is refused as Confluent refuses mode changes when {@code mode.mutability} is off (42205).
 *
 * <p>Written by hand because the registry itself is not on Maven Central (only its clients are, in Confluent's own
 * repository). Routing is a small table of path templates; the JDK's HTTP server carries it and Jackson writes the
 * JSON. Unknown paths answer 404 and known paths with another method 405, with Confluent's error body.
 */
final class RegistryApi implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryApi.class);

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    /** The only mode this registry has: reads and writes allowed, ids assigned by the registry. */
    static final String READWRITE = "READWRITE";
    /** Confluent's modes; a mode outside these is invalid (42204) rather than refused (42205). */
    private static final Set<String> MODES = Set.of(READWRITE, "READONLY", "IMPORT", "FORWARD");
    /** Confluent's name for the default context, the only one this registry has. */
    private static final String DEFAULT_CONTEXT = ".";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A parsed request: the path's {@code {}} parts in order, the query parameters, the body (empty object when none). */
    private record Request(List<String> params, Map<String, String> query, JsonNode body) {
        String param(int i) {
            return params.get(i);
        }

        boolean flag(String name) {
            return Boolean.parseBoolean(query.getOrDefault(name, "false"));
        }
    }

    /** A response: HTTP status and a JSON body. */
    private record Response(int status, Object body) {
        static Response ok(Object body) {
            return new Response(200, body);
        }
    }

    @FunctionalInterface
    private interface Route {
        Response handle(Request request);
    }

    private record Endpoint(String method, String[] template, boolean readsBody, Route route) {
    }

    private final SchemaStore store;
    private final List<Endpoint> endpoints = new ArrayList<>();

    RegistryApi(SchemaStore store) {
        this.store = store;
        get("", r -> Response.ok(NODES.objectNode()));
        get("/schemas/types", r -> Response.ok(List.of("AVRO")));
        get("/schemas/ids/{}", r -> Response.ok(NODES.objectNode().put("schema", store.schemaById(schemaId(r.param(0))))));
        get("/schemas/ids/{}/schema", r -> Response.ok(rawSchema(store.schemaById(schemaId(r.param(0))))));
        get("/schemas/ids/{}/versions", r -> Response.ok(store.versionsOf(schemaId(r.param(0))).stream()
                .map(v -> NODES.objectNode().put("subject", v.subject()).put("version", v.version())).toList()));
        get("/schemas/ids/{}/subjects", r -> Response.ok(store.versionsOf(schemaId(r.param(0))).stream()
                .map(RegisteredSchema::subject).distinct().toList()));
        get("/schemas", r -> Response.ok(store.schemas(r.query().getOrDefault("subjectPrefix", ""), r.flag("latestOnly"))
                .stream().map(RegistryApi::describe).toList()));
        get("/contexts", r -> Response.ok(List.of(DEFAULT_CONTEXT)));
        get("/mode", r -> mode());
        put("/mode", this::setMode);
        get("/mode/{}", r -> {
            // no subject ever has a mode of its own here
            if (!r.flag("defaultToGlobal")) {
                throw RegistryException.subjectLevelModeNotConfigured(r.param(0));
            }
            return mode();
        });
        put("/mode/{}", this::setMode);
        get("/subjects", r -> Response.ok(store.subjects()));
        post("/subjects/{}", this::lookup);
        get("/subjects/{}/versions", r -> Response.ok(store.versions(r.param(0))));
        post("/subjects/{}/versions", this::register);
        get("/subjects/{}/versions/{}", r -> {
            int version = version(r.param(1));
            return Response.ok(describe(store.version(r.param(0), version)));
        });
        get("/subjects/{}/versions/{}/schema", r -> {
            int version = version(r.param(1));
            return Response.ok(rawSchema(store.version(r.param(0), version).schema()));
        });
        get("/config", r -> Response.ok(NODES.objectNode().put("compatibilityLevel", store.globalLevel().name())));
        put("/config", r -> setLevel(null, r));
        get("/config/{}", this::subjectLevel);
        put("/config/{}", r -> setLevel(r.param(0), r));
        post("/compatibility/subjects/{}/versions/{}", this::testCompatibility);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response;
            try {
                response = dispatch(exchange);
            } catch (RegistryException e) {
                response = error(e.httpStatus(), e.errorCode(), e.getMessage());
            } catch (JsonProcessingException e) {
                response = error(400, 400, "Malformed JSON: " + e.getOriginalMessage());
            } catch (RuntimeException e) {
                LOG.error("Schema registry failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                response = error(500, 500, "Internal Server Error: " + e);
            }
            byte[] body = JSON.writeValueAsBytes(response.body());
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(response.status(), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private Response dispatch(HttpExchange exchange) throws IOException {
        String[] path = segments(exchange.getRequestURI().getRawPath());
        boolean pathKnown = false;
        for (Endpoint endpoint : endpoints) {
            List<String> params = match(endpoint.template(), path);
            if (params == null) {
                continue;
            }
            pathKnown = true;
            if (endpoint.method().equals(exchange.getRequestMethod())) {
                JsonNode body = endpoint.readsBody() ? readBody(exchange.getRequestBody()) : NODES.objectNode();
                return endpoint.route().handle(new Request(params, query(exchange.getRequestURI().getRawQuery()), body));
            }
        }
        return pathKnown ? error(405, 405, "HTTP 405 Method Not Allowed") : error(404, 404, "HTTP 404 Not Found");
    }

    private Response register(Request request) {
        Schema schema = avroSchema(request.body());
        RegisteredSchema registered = store.register(request.param(0), schema);
        return Response.ok(NODES.objectNode().put("id", registered.id()));
    }

    private Response lookup(Request request) {
        Schema schema = avroSchema(request.body());
        return Response.ok(describe(store.lookup(request.param(0), schema)));
    }

    private Response subjectLevel(Request request) {
        String subject = request.param(0);
        CompatibilityLevel level = store.subjectLevel(subject).orElseGet(() -> {
            if (request.flag("defaultToGlobal")) {
                return store.globalLevel();
            }
            throw RegistryException.subjectLevelConfigNotFound(subject);
        });
        return Response.ok(NODES.objectNode().put("compatibilityLevel", level.name()));
    }

    private Response setLevel(String subject, Request request) {
        // Confluent's request field is "compatibility"; its responses say "compatibilityLevel", which some clients echo
        JsonNode requested = request.body().has("compatibility") ? request.body().get("compatibility") : request.body().get("compatibilityLevel");
        CompatibilityLevel level = CompatibilityLevel.parse(requested == null || !requested.isTextual() ? null : requested.asText())
                .orElseThrow(RegistryException::invalidCompatibilityLevel);
        store.setLevel(subject, level);
        return Response.ok(NODES.objectNode().put("compatibility", level.name()));
    }

    private static Response mode() {
        return Response.ok(NODES.objectNode().put("mode", READWRITE));
    }

    /** READWRITE is accepted (the registry already is); Confluent's other modes are refused (42205), others invalid (42204). */
    private Response setMode(Request request) {
        JsonNode requested = request.body().get("mode");
        String mode = requested == null || !requested.isTextual() ? "" : requested.asText().toUpperCase(Locale.ROOT);
        if (!MODES.contains(mode)) {
            throw RegistryException.invalidMode();
        }
        if (!READWRITE.equals(mode)) {
            throw RegistryException.modeChangesNotAllowed(mode);
        }
        return mode();
    }

    private Response testCompatibility(Request request) {
        int version = version(request.param(1));
        Schema schema = avroSchema(request.body());
        List<String> problems = store.incompatibilities(request.param(0), version, schema);
        ObjectNode answer = NODES.objectNode().put("is_compatible", problems.isEmpty());
        if (request.flag("verbose")) {
            problems.forEach(answer.putArray("messages")::add);
        }
        return Response.ok(answer);
    }

    /** The Avro schema of a register, lookup or compatibility request; 42201 for any other type or for references. */
    private static Schema avroSchema(JsonNode body) {
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw RegistryException.invalidSchema("schema type " + type + " is not supported, this development registry keeps only AVRO");
        }
        if (body.path("references").size() > 0) {
            throw RegistryException.invalidSchema("schema references are not supported by this development registry");
        }
        JsonNode schema = body.get("schema");
        return SchemaStore.parse(schema == null || !schema.isTextual() ? null : schema.asText());
    }

    private static ObjectNode describe(RegisteredSchema registered) {
        return NODES.objectNode()
                .put("subject", registered.subject())
                .put("version", registered.version())
                .put("id", registered.id())
                .put("schema", registered.schema());
    }

    private static JsonNode rawSchema(String schema) {
        try {
            return JSON.readTree(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored schema is not JSON: " + schema, e);
        }
    }

    /** "latest" or -1 for the latest version, else 1..2^31-1; 42202 otherwise. */
    static int version(String text) {
        if ("latest".equals(text)) {
            return SchemaStore.LATEST;
        }
        try {
            int version = Integer.parseInt(text);
            if (version == SchemaStore.LATEST || version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // falls through to the registry's own error
        }
        throw RegistryException.invalidVersion(text);
    }

    private static int schemaId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound("Schema " + text);
        }
    }

    private static Response error(int status, int code, String message) {
        return new Response(status, NODES.objectNode().put("error_code", code).put("message", message));
    }

    private static JsonNode readBody(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        if (bytes.length == 0) {
            return NODES.objectNode();
        }
        JsonNode body = JSON.readTree(bytes);
        return body == null || !body.isObject() ? NODES.objectNode() : body;
    }

    private static String[] segments(String rawPath) {
        return Arrays.stream(rawPath.split("/"))
                .filter(segment -> !segment.isEmpty())
                // '+' is a literal plus in a path, only a query turns it into a space
                .map(segment -> URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8))
                .toArray(String[]::new);
    }

    private static List<String> match(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        List<String> params = new ArrayList<>();
        for (int i = 0; i < template.length; i++) {
            if (template[i].equals("{}")) {
                params.add(path[i]);
            } else if (!template[i].equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                query.put(name, eq < 0 ? "true" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private void get(String template, Route route) {
        endpoints.add(new Endpoint("GET", segments(template), false, route));
    }

    private void post(String template, Route route) {
        endpoints.add(new Endpoint("POST", segments(template), true, route));
    }

    private void put(String template, Route route) {
        endpoints.add(new Endpoint("PUT", segments(template), true, route));
    }
}
