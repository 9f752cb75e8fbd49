package io.hrmstream.worker.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The worker's operations endpoints: {@code GET /metrics} (Prometheus text format, from {@link WorkerMetrics}),
 * {@code /health/live} and {@code /health/ready} (200 or 503 with a one-line JSON body, from {@link Health}).
 *
 * <p>Written on the JDK's {@code com.sun.net.httpserver}: Micrometer has no HTTP server of its own, and three
 * read-only endpoints do not justify a web framework in the worker jar.
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(final HttpServer server, final ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on {@code host:port} (port 0: a free one). */
    public static OpsServer start(final String host, final int port, final WorkerMetrics metrics,
                                  final Health health) throws IOException {
        final HttpServer server = ReadOnlyHttp.singleThreadServer(host, port, "hrm-ops-http");
        server.createContext("/metrics", exchange -> respond(exchange, 200, PROMETHEUS_TEXT, metrics::scrape));
        server.createContext("/health/live", exchange -> respondHealth(exchange, health.live()));
        server.createContext("/health/ready", exchange -> respondHealth(exchange, health.ready()));
        server.start();
        final OpsServer ops = new OpsServer(server, ReadOnlyHttp.executorOf(server));
        log.info("Metrics at http://{}:{}/metrics, health at /health/live and /health/ready", host, ops.port());
        return ops;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respondHealth(final HttpExchange exchange, final Health.Check check) throws IOException {
        respond(exchange, check.up() ? 200 : 503, "application/json", check::json);
    }

    private static void respond(final HttpExchange exchange, final int status, final String contentType,
                                final Supplier<String> body) throws IOException {
        ReadOnlyHttp.respond(exchange, status, contentType, body.get().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
