package io.hrmstream.worker.ops;

import com.sun.net.httpserver.HttpServer;
import io.hrmstream.worker.stream.WorkerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A worker pointed at nothing says so within its start-up timeout, naming what it could not reach. */
class StartupCheckTest {

    @TempDir
    Path stateDir;

    @Test
    void unreachableBrokersAreNamedWithinTheTimeout() throws Exception {
        final int closed = freePort();
        final long start = System.nanoTime();
        final Optional<String> why = StartupCheck.unreachable(config("127.0.0.1:" + closed, "http://127.0.0.1:1"),
                Duration.ofSeconds(2));
        final long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(why.isPresent());
        assertTrue(why.get().startsWith("could not reach the Kafka brokers at 127.0.0.1:" + closed + " within 2 s"),
                why.get());
        assertTrue(tookMs < 15_000, "bounded: " + tookMs + " ms");
    }

    @Test
    void anUnreachableRegistryIsNamedAndOneThatAnswersEvenWith404Passes() throws Exception {
        final Duration timeout = Duration.ofSeconds(1);
        final int closed = freePort();
        final Optional<String> down = registryOnly("http://127.0.0.1:" + closed, timeout);
        assertTrue(down.isPresent() && down.get().startsWith("could not reach the schema registry at http://127.0.0.1:"
                + closed), down.toString());

        final HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", exchange -> {
            final byte[] body = "{\"error_code\":40401,\"message\":\"Subject not found\"}".getBytes();
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
        try {
            assertTrue(registryOnly("http://127.0.0.1:" + registry.getAddress().getPort(), timeout)
                    .isEmpty());
        } finally {
            registry.stop(0);
        }
    }

    /** The registry's check alone (the brokers' needs a broker to pass). */
    private Optional<String> registryOnly(final String url, final Duration timeout) throws InterruptedException {
        return StartupCheck.registryUnreachable(config("127.0.0.1:1", url), System.nanoTime() + timeout.toNanos())
                .map(why -> "could not reach the schema registry at " + url + ": " + why);
    }

    private WorkerConfig config(final String bootstrap, final String registry) {
        return new WorkerConfig(bootstrap, registry, "startup-check-test", "w", StreamsConfig.EXACTLY_ONCE_V2,
                stateDir, 8, Duration.ofSeconds(5), Duration.ofMillis(10), Map.of());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
