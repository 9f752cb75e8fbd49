package io.hrmstream.worker.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * How the worker's read-only HTTP endpoints answer (the ops endpoints and the web console alike): GET and HEAD
 * only (anything else 405), the body's length up front, none for HEAD, never cached (every answer is live state);
 * and the server they run on.
 */
public final class ReadOnlyHttp {

    private ReadOnlyHttp() {
    }

    /**
     * An unstarted server on {@code host:port} (port 0: a free one) whose exchanges run on one daemon thread named
     * {@code threadName}: probes, scrapes and a polling page are rare and cheap, and must not compete with inference
     * for cores. Its executor is {@link #executorOf}'s to shut down after {@code stop}.
     */
    public static HttpServer singleThreadServer(final String host, final int port, final String threadName)
            throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        }));
        return server;
    }

    /** The executor {@link #singleThreadServer} gave {@code server}. */
    public static ExecutorService executorOf(final HttpServer server) {
        return (ExecutorService) server.getExecutor();
    }

    /** Sends {@code body} with {@code status} and closes the exchange. */
    public static void respond(final HttpExchange exchange, final int status, final String contentType,
                               final byte[] body) throws IOException {
        try (exchange) {
            final String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            final boolean head = "HEAD".equals(method);
            exchange.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
