package io.hrmstream.worker.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.worker.cli.RunCommand;
import io.hrmstream.worker.engine.EngineRoster;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecentSolutions recent = new RecentSolutions();
    private ConsoleServer console;

    @BeforeEach
    void start() throws Exception {
        console = ConsoleServer.start("127.0.0.1", 0, recent, registry, EngineRoster.none());
    }

    @AfterEach
    void stop() {
        console.close();
    }

    @Test
    void servesThePageAndItsScriptFromTheJar() throws Exception {
        final HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(page.body().contains("<script src=\"console.js\">"), page.body());
        final HttpResponse<String> script = get("/console.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("api/recent"), "the script polls the API");
        assertTrue(script.body().contains("api/inspect"), "and posts the inspector's puzzles");
        assertEquals(200, get("/console.css").statusCode());
        assertEquals(404, get("/elsewhere").statusCode());
    }

    @Test
    void recentListsTheFedSolutionsNewestFirstWithTheirGrids() throws Exception {
        recent.onSolution(RecentSolutionsTest.solution("first", SolveStatus.SOLVED));
        recent.onSolution(RecentSolutionsTest.solution("second", SolveStatus.INVALID));
        final HttpResponse<String> response = get("/api/recent");
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        final JsonNode list = json.readTree(response.body());
        assertEquals(2, list.size());
        assertEquals("second", list.get(0).get("id").asText());
        assertEquals("INVALID", list.get(0).get("status").asText());
        assertEquals("[1,9,200]", list.get(0).get("cells").toString());
        assertEquals(3, list.get(0).get("cols").asInt());
        assertEquals("[]", list.get(0).get("givens").toString(), "fed without its request");
        assertEquals(7, list.get(0).get("steps").asInt());
        assertEquals(0.9, list.get(0).get("haltConfidence").asDouble(), 1e-6);
        assertEquals("first", list.get(1).get("id").asText());
    }

    @Test
    void summaryHasTheThroughputAndTheActStepsHistogramPerTask() throws Exception {
        final DistributionSummary steps = DistributionSummary.builder(ConsoleServer.ACT_STEPS_METER)
                .tag("task", "sudoku").serviceLevelObjectives(1, 2, 3, 4).register(registry);
        steps.record(2);
        steps.record(2);
        steps.record(4);
        recent.onSolution(RecentSolutionsTest.solution("r", SolveStatus.SOLVED));
        final JsonNode summary = json.readTree(get("/api/summary").body());
        assertEquals(1, summary.get("solutions").asLong());
        assertTrue(summary.get("solutionsPerSecond").isNumber());
        assertEquals(10, summary.get("rateWindowSeconds").asInt());
        assertEquals("{\"2\":2,\"4\":1}", summary.get("actSteps").get("sudoku").toString(),
                "steps -> puzzles, empty buckets left out");
        assertEquals(0, summary.get("engines").size(), "no model, no engines");
    }

    @Test
    void runServesNoConsoleUnlessAskedAndThenOnlyOnThisMachine() {
        final RunCommand run = new RunCommand();
        final CommandLine cli = new CommandLine(run);
        cli.parseArgs();
        assertEquals(false, cli.getCommandSpec().findOption("--console").getValue());
        assertEquals("127.0.0.1", cli.getCommandSpec().findOption("--console-host").getValue());
        assertEquals(8090, (int) cli.getCommandSpec().findOption("--console-port").getValue());
        cli.parseArgs("--console");
        assertEquals(true, cli.getCommandSpec().findOption("--console").getValue());
    }

    private HttpResponse<String> get(final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + console.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
