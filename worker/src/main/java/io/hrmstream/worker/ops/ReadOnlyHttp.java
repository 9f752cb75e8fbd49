package io.hrmstream.worker.ops;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;

/**
 * How the worker's read-only HTTP endpoints answer (the ops endpoints and the web console alike): GET and HEAD
 * only (anything else 405), the body's length up front, none for HEAD, never cached (every answer is live state).
 */
public final class ReadOnlyHttp {

    private ReadOnlyHttp() {
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
