package io.hrmstream.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the Chrome DevTools protocol, for the console's browser test: open a page, run
 * JavaScript in it (clicks included), take a screenshot. A few dozen lines on the JDK's {@link WebSocket}, by hand
 * rather than Selenium: the test needs four protocol methods, and Selenium would add a dozen jars and a
 * {@code chromedriver} whose version must match the browser's.
 */
final class DevTools implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Process browser;
    private final WebSocket socket;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();

    private DevTools(final Process browser, final WebSocket.Builder sockets, final URI page) {
        this.browser = browser;
        this.socket = sockets.buildAsync(page, new Replies()).join();
    }

    /** Starts headless {@code chromium} on a blank page of {@code width}x{@code height}; its profile in {@code dir}. */
    static DevTools start(final Path chromium, final Path dir, final int width, final int height) throws Exception {
        final Process browser = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox",
                // offline machine: no update checks, no component downloads
                "--disable-background-networking", "--disable-gpu", "--window-size=" + width + "," + height,
                "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--user-data-dir=" + dir.resolve("chromium-profile"), "about:blank")
                .redirectOutput(dir.resolve("chromium.out").toFile())
                .start();
        try {
            final URI browserSocket = listeningAddress(browser);
            final HttpClient http = HttpClient.newHttpClient();
            final URI list = URI.create("http://" + browserSocket.getAuthority() + "/json/list");
            final JsonNode targets = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(list).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (final JsonNode target : targets) {
                if ("page".equals(target.path("type").asText())) {
                    return new DevTools(browser, http.newWebSocketBuilder(),
                            URI.create(target.get("webSocketDebuggerUrl").asText()));
                }
            }
            throw new IllegalStateException("chromium opened no page: " + targets);
        } catch (final Exception e) {
            browser.destroyForcibly();
            throw e;
        }
    }

    private static URI listeningAddress(final Process browser) throws IOException {
        final BufferedReader err = new BufferedReader(new InputStreamReader(browser.getErrorStream(),
                StandardCharsets.UTF_8));
        final List<String> lines = new ArrayList<>();
        for (String line = err.readLine(); line != null; line = err.readLine()) {
            final Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                // keep draining stderr, or a chatty browser blocks on a full pipe
                final Thread drain = new Thread(() -> err.lines().forEach(l -> { }), "chromium-stderr");
                drain.setDaemon(true);
                drain.start();
                return URI.create(m.group(1));
            }
            lines.add(line);
        }
        throw new IllegalStateException("chromium exited without a DevTools address: " + lines);
    }

    /** Loads {@code url} in the page. */
    void navigate(final String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression evaluated in the page (a promise is awaited). */
    JsonNode evaluate(final String expression) throws Exception {
        final JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException(expression + " threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Waits up to {@code timeout} for a JavaScript condition to hold in the page. */
    void await(final String condition, final Duration timeout) throws Exception {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!evaluate("Boolean(" + condition + ")").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page never showed " + condition + " within " + timeout
                        + "; the page was: " + evaluate("document.body.innerText").asText());
            }
            Thread.sleep(100);   // polls the page; the deadline bounds it
        }
    }

    /** Writes a PNG of the whole page (beyond the window, too) to {@code file}. */
    void screenshot(final Path file) throws Exception {
        final JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
    }

    private JsonNode call(final String method, final Map<String, Object> params) throws Exception {
        final int id = ids.incrementAndGet();
        final CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        calls.put(id, reply);
        final ObjectNode message = json.createObjectNode().put("id", id).put("method", method);
        message.set("params", json.valueToTree(params));
        socket.sendText(json.writeValueAsString(message), true).join();
        final JsonNode answer = reply.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return answer.get("result");
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        browser.destroy();
        if (!browser.waitFor(20, TimeUnit.SECONDS)) {
            browser.destroyForcibly();
        }
    }

    /** Hands each reply to its call; events (messages without an id) are not needed and dropped. */
    private final class Replies implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
            partial.append(data);
            if (last) {
                try {
                    final JsonNode message = json.readTree(partial.toString());
                    final CompletableFuture<JsonNode> reply = message.has("id")
                            ? calls.remove(message.get("id").asInt()) : null;
                    if (reply != null) {
                        reply.complete(message);
                    }
                } catch (final IOException e) {
                    calls.values().forEach(c -> c.completeExceptionally(e));
                } finally {
                    partial.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
