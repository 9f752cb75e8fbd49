package io.hrmstream.worker.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hrmstream.worker.engine.ContinuousBatchingEngine;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.SolverEngine;
import io.hrmstream.worker.ops.ReadOnlyHttp;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * The worker's console, a page that shows what it is doing: {@code GET /} (the page, from the jar's {@code web/}
 * resources), {@code GET /api/summary} (throughput, the ACT-steps histogram, batch occupancy per engine) and
 * {@code GET /api/recent} (the latest solutions with their grids), both JSON, and {@code POST /api/inspect} (a puzzle
 * as JSON, see {@link Inspector.Puzzle}; answers its every ACT step, see {@link Inspector.Inspection}, or
 * {@code {"error": reason}} with 400 for a puzzle the worker would reject).
 *
 * <p>Off unless {@code run --console}; on the JDK's {@code com.sun.net.httpserver} like
 * {@link io.hrmstream.worker.ops.OpsServer}: a few routes do not justify a web framework in the worker jar. An
 * inspection is answered when its future completes: the HTTP thread submits it and moves on, never waiting on the
 * engine, so the page's polls keep being answered while a puzzle runs.
 */
public final class ConsoleServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);
    /** The Micrometer name of the ACT-steps distribution ({@code hrm_act_steps} in Prometheus), tagged by task. */
    static final String ACT_STEPS_METER = "hrm.act.steps";
    private static final Map<String, String> STATIC_FILES = Map.of(
            "/", "web/index.html",
            "/index.html", "web/index.html",
            "/console.js", "web/console.js",
            "/console.css", "web/console.css");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    /** The largest inspect body read: a 30x30 ARC grid is under 4 KiB of JSON. */
    static final int MAX_INSPECT_BODY_BYTES = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper json = new ObjectMapper();
    private final RecentSolutions recent;
    private final MeterRegistry registry;
    private final EngineRoster engines;
    private final Inspector inspector;

    private ConsoleServer(final HttpServer server, final ExecutorService executor, final RecentSolutions recent,
                          final MeterRegistry registry, final EngineRoster engines, final Inspector inspector) {
        this.server = server;
        this.executor = executor;
        this.recent = recent;
        this.registry = registry;
        this.engines = engines;
        this.inspector = inspector;
    }

    /**
     * Starts serving on {@code host:port} (port 0: a free one). {@code registry}: where the worker's meters are
     * (the ACT-steps histogram is read from it).
     */
    public static ConsoleServer start(final String host, final int port, final RecentSolutions recent,
                                      final MeterRegistry registry, final EngineRoster engines) throws IOException {
        return start(host, port, recent, registry, engines, Inspector.DEFAULT_TIMEOUT);
    }

    /** As {@link #start(String, int, RecentSolutions, MeterRegistry, EngineRoster)}, inspections bounded by {@code inspectTimeout}. */
    public static ConsoleServer start(final String host, final int port, final RecentSolutions recent,
                                      final MeterRegistry registry, final EngineRoster engines,
                                      final Duration inspectTimeout) throws IOException {
        final HttpServer server = ReadOnlyHttp.singleThreadServer(host, port, "hrm-console-http");
        final ConsoleServer console = new ConsoleServer(server, ReadOnlyHttp.executorOf(server), recent, registry, engines,
                new Inspector(engines, inspectTimeout));
        server.createContext("/api/summary", exchange -> console.respondJson(exchange, console.summary()));
        server.createContext("/api/recent", exchange -> console.respondJson(exchange, recent.newestFirst()));
        server.createContext("/api/inspect", console::inspect);
        server.createContext("/", console::respondStatic);
        server.start();
        log.info("Console at http://{}:{}/", host, console.port());
        return console;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What {@code /api/summary} answers. */
    Map<String, Object> summary() {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("solutionsPerSecond", recent.solutionsPerSecond());
        out.put("rateWindowSeconds", RecentSolutions.RATE_WINDOW_SECONDS);
        out.put("solutions", recent.total());
        out.put("actSteps", actStepHistograms());
        final List<Map<String, Object>> engineList = new ArrayList<>();
        for (final SolverEngine engine : engines.engines()) {
            final Map<String, Object> e = new LinkedHashMap<>();
            e.put("task", engine.model().task());
            e.put("model", engine.model().name());
            e.put("pending", engine.pending());
            if (engine instanceof ContinuousBatchingEngine batching) {
                e.put("occupiedSlots", batching.stats().occupiedSlots());
                e.put("slots", batching.capacity());
                e.put("meanBatchSize", batching.stats().meanBatchSize());
            }
            engineList.add(e);
        }
        out.put("engines", engineList);
        return out;
    }

    /** Per task: steps -> puzzles that halted after that many steps (Micrometer keeps buckets cumulative). */
    private Map<String, Map<Integer, Long>> actStepHistograms() {
        final Map<String, Map<Integer, Long>> out = new TreeMap<>();
        for (final DistributionSummary summary : registry.find(ACT_STEPS_METER).summaries()) {
            final Map<Integer, Long> buckets = new TreeMap<>();
            double below = 0;
            for (final CountAtBucket bucket : summary.takeSnapshot().histogramCounts()) {
                final long count = Math.round(bucket.count() - below);
                below = bucket.count();
                if (count > 0) {
                    buckets.put((int) bucket.bucket(), count);
                }
            }
            out.put(summary.getId().getTag("task"), buckets);
        }
        return out;
    }

    private void respondJson(final HttpExchange exchange, final Object body) throws IOException {
        ReadOnlyHttp.respond(exchange, 200, "application/json", json.writeValueAsBytes(body));
    }

    /** Submits the posted puzzle and answers when its future completes, on this server's thread. */
    private void inspect(final HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            try (exchange) {
                exchange.getResponseHeaders().set("Allow", "POST");
                exchange.sendResponseHeaders(405, -1);
            }
            return;
        }
        // JSON only: a browser sends another page's cross-site POST of JSON only after a preflight this server never
        // grants, so no page the operator visits can spend the engine's slots (forms and text/plain need none)
        final String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            exchange.getRequestBody().close();
            send(exchange, 415, error("send the puzzle as application/json"));
            return;
        }
        final Inspector.Puzzle puzzle;
        try (InputStream in = exchange.getRequestBody()) {
            final byte[] body = in.readNBytes(MAX_INSPECT_BODY_BYTES + 1);
            if (body.length > MAX_INSPECT_BODY_BYTES) {
                send(exchange, 413, error("a puzzle is at most " + MAX_INSPECT_BODY_BYTES + " bytes of JSON"));
                return;
            }
            puzzle = json.readValue(body, Inspector.Puzzle.class);
        } catch (final JsonProcessingException e) {
            send(exchange, 400, error("not a puzzle: " + e.getOriginalMessage()));
            return;
        }
        inspector.inspect(puzzle).whenCompleteAsync((inspection, failure) -> {
            try {
                if (failure == null) {
                    send(exchange, 200, inspection);
                } else {
                    final Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    final int status = cause instanceof Inspector.InspectionException refused
                            ? refused.httpStatus() : 500;
                    send(exchange, status, error(cause.getMessage()));
                }
            } catch (final IOException e) {
                log.debug("Answering an inspection failed (the page went away?)", e);
            }
        }, executor);
    }

    private static Map<String, String> error(final String reason) {
        return Map.of("error", String.valueOf(reason));
    }

    /** The inspect route's answers: JSON, never cached; not {@link ReadOnlyHttp}'s, which refuses a POST. */
    private void send(final HttpExchange exchange, final int status, final Object body) throws IOException {
        try (exchange) {
            final byte[] bytes = json.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private void respondStatic(final HttpExchange exchange) throws IOException {
        final String resource = STATIC_FILES.get(exchange.getRequestURI().getPath());
        if (resource == null) {
            ReadOnlyHttp.respond(exchange, 404, "text/plain; charset=utf-8",
                    "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        final byte[] bytes;
        try (InputStream in = ConsoleServer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + resource);
            }
            bytes = in.readAllBytes();
        }
        final String type = CONTENT_TYPES.get(resource.substring(resource.lastIndexOf('.') + 1));
        ReadOnlyHttp.respond(exchange, 200, type, bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
