package io.hrmstream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import org.apache.avro.Schema;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test double of a Confluent Schema Registry: the four REST calls the serde makes, Confluent's error
 * bodies, optional basic or bearer auth, optional TLS, an optional path prefix (like Apicurio's ccompat API),
 * scripted failures, and a log of every request. Not a registry: no compatibility checks, no persistence.
 */
public final class RegistryDouble implements AutoCloseable {

    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private record Failure(int status, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUBJECT_VERSIONS = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern SUBJECT_LATEST = Pattern.compile("/subjects/([^/]+)/versions/latest");
    private static final Pattern SUBJECT = Pattern.compile("/subjects/([^/]+)");
    private static final Pattern SCHEMA_BY_ID = Pattern.compile("/schemas/ids/(-?\\d+)");

    private final HttpServer server;
    private final String prefix;
    private final Map<Integer, String> schemasById = new LinkedHashMap<>();
    private final Map<String, List<Integer>> idsBySubject = new LinkedHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Failure> scriptedFailures = new ArrayList<>();
    private String requiredAuthorization;
    private int nextId = 1;

    public RegistryDouble() throws IOException {
        this("");
    }

    /** @param prefix a base path in front of the API, e.g. {@code /apis/ccompat/v7} */
    public RegistryDouble(String prefix) throws IOException {
        this(prefix, HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    private RegistryDouble(String prefix, HttpServer server) {
        this.prefix = prefix;
        this.server = server;
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * A registry served over TLS with {@code tls}'s key and certificate; with {@code needClientAuth} it refuses
     * clients that show no certificate {@code tls} trusts (mutual TLS).
     */
    public static RegistryDouble overTls(SSLContext tls, boolean needClientAuth) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = tls.getDefaultSSLParameters();
                parameters.setNeedClientAuth(needClientAuth);
                params.setSSLParameters(parameters);
            }
        });
        return new RegistryDouble("", server);
    }

    public URI url() {
        return url("127.0.0.1");
    }

    /** The URL with another name for the loopback address, e.g. {@code localhost}. */
    public URI url(String host) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://" + host + ":" + server.getAddress().getPort() + prefix);
    }

    public List<Request> requests() {
        return requests;
    }

    /** Answers 401 unless requests carry this basic-auth user info. */
    public synchronized RegistryDouble requireBasicAuth(String userInfo) {
        return requireAuthorization("Basic " + java.util.Base64.getEncoder()
                .encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    }

    /** Answers 401 unless requests carry exactly this Authorization header, e.g. {@code Bearer <token>}. */
    public synchronized RegistryDouble requireAuthorization(String authorization) {
        requiredAuthorization = authorization;
        return this;
    }

    /** The next request is answered with this status and raw body instead. */
    public synchronized RegistryDouble failNext(int status, String body) {
        scriptedFailures.add(new Failure(status, body));
        return this;
    }

    /** Stores a schema under a chosen id and appends it to the subject as its next version. */
    public synchronized void put(String subject, int id, Schema schema) {
        schemasById.put(id, schema.toString());
        idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        nextId = Math.max(nextId, id + 1);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(method, rawPath, Map.copyOf(exchange.getRequestHeaders()), body));
        if (!scriptedFailures.isEmpty()) {
            Failure failure = scriptedFailures.remove(0);
            respond(exchange, failure.status(), failure.body());
            return;
        }
        if (requiredAuthorization != null
                && !requiredAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            error(exchange, 401, 401, "Unauthorized");
            return;
        }
        if (!rawPath.startsWith(prefix)) {
            error(exchange, 404, 404, "HTTP 404 Not Found");
            return;
        }
        String path = rawPath.substring(prefix.length());
        Matcher m;
        if (method.equals("POST") && (m = SUBJECT_VERSIONS.matcher(path)).matches()) {
            register(exchange, decode(m.group(1)), body);
        } else if (method.equals("GET") && (m = SUBJECT_LATEST.matcher(path)).matches()) {
            latest(exchange, decode(m.group(1)));
        } else if (method.equals("POST") && (m = SUBJECT.matcher(path)).matches()) {
            lookup(exchange, decode(m.group(1)), body);
        } else if (method.equals("GET") && (m = SCHEMA_BY_ID.matcher(path)).matches()) {
            byId(exchange, Integer.parseInt(m.group(1)));
        } else {
            error(exchange, 404, 404, "HTTP 404 Not Found");
        }
    }

    private void register(HttpExchange exchange, String subject, String body) throws IOException {
        String schema = canonical(body);
        Integer id = schemasById.entrySet().stream().filter(e -> e.getValue().equals(schema))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (id == null) {
            id = nextId++;
            schemasById.put(id, schema);
        }
        List<Integer> versions = idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) versions.add(id);
        respond(exchange, 200, JSON.createObjectNode().put("id", id).toString());
    }

    private void lookup(HttpExchange exchange, String subject, String body) throws IOException {
        List<Integer> versions = idsBySubject.get(subject);
        if (versions == null) {
            error(exchange, 404, 40401, "Subject '" + subject + "' not found.");
            return;
        }
        String schema = canonical(body);
        for (int v = 0; v < versions.size(); v++) {
            if (schemasById.get(versions.get(v)).equals(schema)) {
                respond(exchange, 200, version(subject, v + 1, versions.get(v)));
                return;
            }
        }
        error(exchange, 404, 40403, "Schema not found");
    }

    private void latest(HttpExchange exchange, String subject) throws IOException {
        List<Integer> versions = idsBySubject.get(subject);
        if (versions == null) {
            error(exchange, 404, 40401, "Subject '" + subject + "' not found.");
            return;
        }
        respond(exchange, 200, version(subject, versions.size(), versions.get(versions.size() - 1)));
    }

    private void byId(HttpExchange exchange, int id) throws IOException {
        String schema = schemasById.get(id);
        if (schema == null) {
            error(exchange, 404, 40403, "Schema " + id + " not found");
            return;
        }
        respond(exchange, 200, JSON.createObjectNode().put("schema", schema).toString());
    }

    private String version(String subject, int version, int id) {
        return JSON.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                .put("schema", schemasById.get(id)).toString();
    }

    private static String canonical(String body) throws IOException {
        JsonNode request = JSON.readTree(body);
        return new Schema.Parser().parse(request.get("schema").asText()).toString();
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    private static void error(HttpExchange exchange, int status, int errorCode, String message) throws IOException {
        respond(exchange, status, JSON.createObjectNode().put("error_code", errorCode).put("message", message).toString());
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
