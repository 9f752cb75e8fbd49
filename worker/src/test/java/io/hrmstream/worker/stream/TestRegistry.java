package io.hrmstream.worker.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test double of a Schema Registry, in memory: the REST calls the worker's serdes make (register, lookup,
 * schema by id) with Confluent's answers and 404 error bodies. Not a registry: no compatibility checks.
 * A JUnit extension: {@code @RegisterExtension static final TestRegistry registry = new TestRegistry();} serves it
 * for the test class.
 */
final class TestRegistry implements BeforeAllCallback, AfterAllCallback {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern LOOKUP = Pattern.compile("/subjects/([^/]+)");
    private static final Pattern SCHEMA_BY_ID = Pattern.compile("/schemas/ids/(-?\\d+)");

    private HttpServer server;
    /** id - 1 -> schema text */
    private final List<String> schemas = new ArrayList<>();
    private final Map<String, List<Integer>> idsBySubject = new ConcurrentHashMap<>();

    @Override
    public void beforeAll(final ExtensionContext context) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @Override
    public void afterAll(final ExtensionContext context) {
        server.stop(0);
    }

    /** Stops answering: connections to its port are refused, as during an outage. Its schemas are kept. */
    synchronized void stop() {
        server.stop(0);
    }

    /** Answers again on the same port, with the schemas it had. */
    synchronized void restart() throws IOException {
        final int port = server.getAddress().getPort();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private synchronized void handle(final HttpExchange exchange) throws IOException {
        final String path = exchange.getRequestURI().getPath();
        final String method = exchange.getRequestMethod();
        try (exchange) {
            Matcher m;
            if (method.equals("POST") && (m = REGISTER.matcher(path)).matches()) {
                final String schema = JSON.readTree(exchange.getRequestBody()).get("schema").asText();
                int id = schemas.indexOf(schema) + 1;
                if (id == 0) {
                    schemas.add(schema);
                    id = schemas.size();
                }
                idsBySubject.computeIfAbsent(m.group(1), s -> new ArrayList<>()).add(id);
                reply(exchange, 200, JSON.createObjectNode().put("id", id));
            } else if (method.equals("POST") && (m = LOOKUP.matcher(path)).matches()) {
                final String schema = JSON.readTree(exchange.getRequestBody()).get("schema").asText();
                final int id = schemas.indexOf(schema) + 1;
                final List<Integer> ids = idsBySubject.getOrDefault(m.group(1), List.of());
                if (!ids.contains(id)) {
                    reply(exchange, 404, error(40403, "Schema not found"));
                } else {
                    reply(exchange, 200, JSON.createObjectNode().put("subject", m.group(1)).put("id", id)
                            .put("version", ids.indexOf(id) + 1).put("schema", schema));
                }
            } else if (method.equals("GET") && (m = SCHEMA_BY_ID.matcher(path)).matches()) {
                final int id = Integer.parseInt(m.group(1));
                if (id < 1 || id > schemas.size()) {
                    reply(exchange, 404, error(40403, "Schema " + id + " not found"));
                } else {
                    reply(exchange, 200, JSON.createObjectNode().put("schema", schemas.get(id - 1)));
                }
            } else {
                reply(exchange, 404, error(404, "HTTP 404 Not Found"));
            }
        }
    }

    private static JsonNode error(final int code, final String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static void reply(final HttpExchange exchange, final int status, final JsonNode body) throws IOException {
        final byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
