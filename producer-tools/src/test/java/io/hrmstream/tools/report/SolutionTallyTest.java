package io.hrmstream.tools.report;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleSolution;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SolutionTallyTest {

    private static final CellGrid ANSWER = new CellGrid(2, 2, new byte[] {1, 2, 2, 1});

    private static Map<String, PublishedRequest> published() {
        return Map.of(
                "r-0", new PublishedRequest("r-0", "sudoku", ANSWER),
                "r-1", new PublishedRequest("r-1", "sudoku", ANSWER),
                "r-2", new PublishedRequest("r-2", "sudoku", ANSWER),
                "r-3", new PublishedRequest("r-3", "sudoku", null));
    }

    @Test
    void exactAccuracyCountsOnlyCellForCellMatchesAmongKnownAnswers() {
        SolutionTally tally = new SolutionTally(published());
        tally.add(solution("r-0", SolveStatus.SOLVED, grid(2, 2, 1, 2, 2, 1), 4, HaltReason.Q_HALT, 10L),
                OptionalLong.empty());
        tally.add(solution("r-1", SolveStatus.INVALID, grid(2, 2, 1, 2, 1, 2), 16, HaltReason.MAX_STEPS, 30L),
                OptionalLong.empty());
        tally.add(solution("r-2", SolveStatus.REJECTED, null, 0, HaltReason.NONE, 1L), OptionalLong.empty());
        tally.add(solution("r-3", SolveStatus.SOLVED, grid(2, 2, 2, 1, 1, 2), 4, HaltReason.Q_HALT, 20L),
                OptionalLong.empty());

        SolveReport report = tally.report(null);
        assertEquals(new SolveReport.Accuracy(3, 1, 1.0 / 3), report.accuracy());
        assertEquals(4, report.received());
        assertEquals(0, report.missing());
        assertTrue(tally.complete());
    }

    @Test
    void arcAnswersScorePassAtTwoRightWhenEitherAttemptEqualsTheKnownAnswer() {
        SolutionTally tally = new SolutionTally(Map.of(
                "first", new PublishedRequest("first", "arc", ANSWER),
                "second", new PublishedRequest("second", "arc", ANSWER),
                "neither", new PublishedRequest("neither", "arc", ANSWER),
                "sudoku", new PublishedRequest("sudoku", "sudoku", ANSWER)));
        Grid right = grid(2, 2, 1, 2, 2, 1), wrong = grid(2, 2, 0, 0, 0, 0);
        tally.add(withSecond(solution("first", SolveStatus.ANSWERED, right, 4, HaltReason.Q_HALT, 1L), wrong),
                OptionalLong.empty());
        tally.add(withSecond(solution("second", SolveStatus.ANSWERED, wrong, 4, HaltReason.Q_HALT, 1L), right),
                OptionalLong.empty());
        tally.add(solution("neither", SolveStatus.ANSWERED, wrong, 4, HaltReason.Q_HALT, 1L), OptionalLong.empty());
        tally.add(withSecond(solution("sudoku", SolveStatus.INVALID, wrong, 4, HaltReason.Q_HALT, 1L), right),
                OptionalLong.empty());

        SolveReport report = tally.report(null);
        assertEquals(new SolveReport.Accuracy(3, 2, 2.0 / 3), report.arcPassAt2());
        assertEquals(new SolveReport.Accuracy(4, 1, 1.0 / 4), report.accuracy(), "exact scores the first attempt");
    }

    @Test
    void withoutArcAnswersThereIsNoPassAtTwo() {
        SolutionTally tally = new SolutionTally(published());
        tally.add(solution("r-0", SolveStatus.SOLVED, grid(2, 2, 1, 2, 2, 1), 4, HaltReason.Q_HALT, 10L),
                OptionalLong.empty());

        assertNull(tally.report(null).arcPassAt2());
    }

    private static PuzzleSolution withSecond(PuzzleSolution solution, Grid second) {
        solution.setSecondSolution(second);
        return solution;
    }

    @Test
    void statusesAndHaltReasonsListEveryValueAndRejectedSolutionsStayOutOfTheStepsHistogram() {
        SolutionTally tally = new SolutionTally(Map.of());
        tally.add(solution("a", SolveStatus.SOLVED, grid(1, 1, 1), 4, HaltReason.Q_HALT, 5L), OptionalLong.empty());
        tally.add(solution("b", SolveStatus.SOLVED, grid(1, 1, 1), 4, HaltReason.Q_HALT, 5L), OptionalLong.empty());
        tally.add(solution("c", SolveStatus.REJECTED, null, 0, HaltReason.NONE, 5L), OptionalLong.empty());

        SolveReport report = tally.report(null);
        assertEquals(Map.of("SOLVED", 2L, "ANSWERED", 0L, "INVALID", 0L, "REJECTED", 1L), report.statuses());
        assertEquals(Map.of("Q_HALT", 2L, "MAX_STEPS", 0L, "NONE", 1L), report.haltedBy());
        assertEquals(Map.of(4, 2L), report.steps());
        assertNull(report.accuracy(), "no known answers, no accuracy");
    }

    @Test
    void aSecondSolutionForTheSameIdIsADuplicateAndForeignIdsAreIgnored() {
        SolutionTally tally = new SolutionTally(published());
        assertEquals(SolutionTally.Outcome.COUNTED,
                tally.add(solution("r-0", SolveStatus.SOLVED, grid(2, 2, 1, 2, 2, 1), 4, HaltReason.Q_HALT, 1L),
                        OptionalLong.empty()));
        assertEquals(SolutionTally.Outcome.DUPLICATE,
                tally.add(solution("r-0", SolveStatus.SOLVED, grid(2, 2, 1, 2, 2, 1), 4, HaltReason.Q_HALT, 1L),
                        OptionalLong.empty()));
        assertEquals(SolutionTally.Outcome.IGNORED,
                tally.add(solution("old-7", SolveStatus.SOLVED, null, 4, HaltReason.Q_HALT, 1L),
                        OptionalLong.empty()));

        SolveReport report = tally.report(null);
        assertEquals(4, report.expected());
        assertEquals(1, report.received());
        assertEquals(3, report.missing());
        assertEquals(1, report.duplicates());
        assertEquals(1, report.ignored());
        assertEquals(new SolveReport.Accuracy(1, 1, 1.0), report.accuracy(), "a duplicate is not counted twice");
        assertFalse(tally.complete());
    }

    @Test
    void latencyComesFromTheSolutionAndRoundTripFromTheCallerAndThroughputFromElapsedTime() {
        SolutionTally tally = new SolutionTally(Map.of());
        for (int i = 1; i <= 10; i++) {
            tally.add(solution("id-" + i, SolveStatus.SOLVED, null, 2, HaltReason.Q_HALT, (long) i * 10),
                    OptionalLong.of(i * 100L));
        }
        tally.add(solution("no-latency", SolveStatus.SOLVED, null, 2, HaltReason.Q_HALT, null), OptionalLong.empty());

        SolveReport report = tally.report(Duration.ofSeconds(2));
        assertEquals(10, report.latencyMs().count(), "a solution without latencyMs adds no sample");
        assertEquals(50, report.latencyMs().p50());
        assertEquals(100, report.latencyMs().p99());
        assertEquals(500, report.roundTripMs().p50());
        assertEquals(new SolveReport.Throughput(2000, 5.5), report.throughput());
    }
}
