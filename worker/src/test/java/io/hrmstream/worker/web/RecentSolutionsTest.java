package io.hrmstream.worker.web;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RecentSolutionsTest {

    private final AtomicLong clockMs = new AtomicLong(1_000_000);

    @Test
    void keepsTheLatestSolutionsNewestFirstUpToItsCapacity() {
        final RecentSolutions recent = new RecentSolutions(3, clockMs::get);
        for (int i = 1; i <= 5; i++) {
            recent.onSolution(solution("r" + i, SolveStatus.SOLVED));
        }
        assertEquals(List.of("r5", "r4", "r3"),
                recent.newestFirst().stream().map(RecentSolutions.SolutionSummary::id).toList());
        assertEquals(5, recent.total());
    }

    @Test
    void summarisesTheAnswerGridAsUnsignedCellsAndTheHaltingFields() {
        final RecentSolutions recent = new RecentSolutions(3, clockMs::get);
        recent.onSolution(solution("r1", SolveStatus.INVALID));
        final RecentSolutions.SolutionSummary summary = recent.newestFirst().get(0);
        assertEquals("INVALID", summary.status());
        assertEquals(1, summary.rows());
        assertEquals(3, summary.cols());
        assertArrayEquals(new int[] {1, 9, 200}, summary.cells(), "bytes read as 0..255");
        assertEquals(7, summary.steps());
        assertEquals("Q_HALT", summary.haltedBy());
        assertEquals(0.9f, summary.haltConfidence());
    }

    @Test
    void keepsTheRequestsGridAsTheGivensWhenTheRequestIsKnown() {
        final RecentSolutions recent = new RecentSolutions(3, clockMs::get);
        recent.onSolution(solution("r1", SolveStatus.SOLVED));
        assertEquals(0, recent.newestFirst().get(0).givens().length, "no request, no givens");
        final PuzzleRequest request = PuzzleRequest.newBuilder().setId("r2").setTask("sudoku")
                .setGrid(new Grid(1, 3, ByteBuffer.wrap(new byte[] {1, 0, 0}))).setAttributes(Map.of()).build();
        recent.onSolution(request, solution("r2", SolveStatus.SOLVED));
        assertArrayEquals(new int[] {1, 0, 0}, recent.newestFirst().get(0).givens());
    }

    @Test
    void aRejectedRequestHasNoGrid() {
        final RecentSolutions recent = new RecentSolutions(3, clockMs::get);
        recent.onSolution(PuzzleSolution.newBuilder().setRequestId("r1").setTask("sudoku")
                .setStatus(SolveStatus.REJECTED).setSteps(0).setMaxSteps(16).setHaltedBy(HaltReason.NONE)
                .setHaltConfidence(0f).setModel("m").setWorkerId("w1").setBatchSize(0).setQueuedMs(0)
                .setInferenceMs(0).setError("bad grid").setAttributes(Map.of()).build());
        final RecentSolutions.SolutionSummary summary = recent.newestFirst().get(0);
        assertEquals(0, summary.cells().length);
        assertEquals("bad grid", summary.error());
    }

    @Test
    void throughputAveragesTheLastTenWholeSeconds() {
        final RecentSolutions recent = new RecentSolutions(50, clockMs::get);
        for (int second = 0; second < 12; second++) {
            for (int i = 0; i < 3; i++) {
                recent.onSolution(solution("r", SolveStatus.SOLVED));
            }
            clockMs.addAndGet(1000);
        }
        assertEquals(3.0, recent.solutionsPerSecond(), 1e-9);
        clockMs.addAndGet(5000);
        assertEquals(1.5, recent.solutionsPerSecond(), 1e-9, "5 of the last 10 seconds had 3 each");
        clockMs.addAndGet(60_000);
        assertEquals(0.0, recent.solutionsPerSecond(), 1e-9, "an idle minute later");
    }

    static PuzzleSolution solution(final String id, final SolveStatus status) {
        return PuzzleSolution.newBuilder().setRequestId(id).setTask("sudoku").setStatus(status)
                .setSolution(new Grid(1, 3, ByteBuffer.wrap(new byte[] {1, 9, (byte) 200})))
                .setSteps(7).setMaxSteps(16).setHaltedBy(HaltReason.Q_HALT).setHaltConfidence(0.9f).setModel("m")
                .setWorkerId("w1").setBatchSize(4).setQueuedMs(3).setInferenceMs(40).setLatencyMs(55L)
                .setAttributes(Map.of()).build();
    }
}
