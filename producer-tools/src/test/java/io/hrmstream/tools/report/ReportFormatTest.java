package io.hrmstream.tools.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.tools.answers.PublishedRequest;
import io.hrmstream.tools.input.CellGrid;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

import static io.hrmstream.tools.support.Solutions.grid;
import static io.hrmstream.tools.support.Solutions.solution;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportFormatTest {

    private static SolveReport sample() {
        CellGrid answer = new CellGrid(1, 2, new byte[] {1, 2});
        SolutionTally tally = new SolutionTally(Map.of(
                "a", new PublishedRequest("a", "sudoku", answer),
                "b", new PublishedRequest("b", "sudoku", answer)));
        tally.add(solution("a", SolveStatus.SOLVED, grid(1, 2, 1, 2), 3, HaltReason.Q_HALT, 40L), OptionalLong.of(60));
        tally.add(solution("b", SolveStatus.INVALID, grid(1, 2, 2, 1), 8, HaltReason.MAX_STEPS, 90L),
                OptionalLong.of(120));
        return tally.report(Duration.ofMillis(500));
    }

    @Test
    void textShowsAccuracyStatusesLatencyAndOneBarPerStepCount() {
        String text = ReportFormat.text(sample());
        assertTrue(text.contains("2 received of 2 expected, 0 missing"), text);
        assertTrue(text.contains("4.0 solutions/s over 0.5 s"), text);
        assertTrue(text.contains("50.00% exact (1 of 2 with a known answer)"), text);
        assertTrue(text.contains("SOLVED 1  ANSWERED 0  INVALID 1  REJECTED 0"), text);
        assertTrue(text.contains("p50 40  p95 90  p99 90"), text);
        assertTrue(text.contains("round trip ms"), text);
        assertEquals(2, text.lines().filter(line -> line.contains(" | #")).count(), text);
    }

    @Test
    void jsonCarriesTheSameNumbersUnderTheRecordsNames() throws Exception {
        JsonNode json = new ObjectMapper().readTree(ReportFormat.json(sample()));
        assertEquals(2, json.get("received").asLong());
        assertEquals(0.5, json.get("accuracy").get("rate").asDouble());
        assertEquals(1, json.get("statuses").get("INVALID").asLong());
        assertEquals(1, json.get("steps").get("8").asLong());
        assertEquals(90, json.get("latencyMs").get("p99").asLong());
        assertEquals(4.0, json.get("throughput").get("solutionsPerSecond").asDouble());
    }

    @Test
    void collectReportsWithoutThroughputOrRoundTripLeaveThoseOutOfTheJson() throws Exception {
        SolutionTally tally = new SolutionTally(Map.of());
        tally.add(solution("a", SolveStatus.SOLVED, null, 3, HaltReason.Q_HALT, 40L), OptionalLong.empty());
        JsonNode json = new ObjectMapper().readTree(ReportFormat.json(tally.report(null)));
        assertFalse(json.has("throughput"));
        assertFalse(json.has("roundTripMs"));
        assertFalse(json.has("accuracy"));
        assertFalse(json.has("arcPassAt2"));
    }

    @Test
    void arcAnswersAddAPassAtTwoLine() {
        CellGrid answer = new CellGrid(1, 2, new byte[] {1, 2});
        SolutionTally tally = new SolutionTally(Map.of("a", new PublishedRequest("a", "arc", answer)));
        tally.add(solution("a", SolveStatus.ANSWERED, grid(1, 2, 1, 2), 3, HaltReason.Q_HALT, 40L), OptionalLong.empty());

        String text = ReportFormat.text(tally.report(null));

        assertTrue(text.contains("ARC pass@2     100.00% (1 of 1 ARC test inputs with a known answer)"), text);
    }
}
