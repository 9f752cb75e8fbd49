package io.hrmstream.tools.support;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;

import java.nio.ByteBuffer;
import java.util.Map;

/** Builds PuzzleSolution values for tests. */
public final class Solutions {

    private Solutions() {
    }

    public static Grid grid(int rows, int cols, int... cells) {
        byte[] bytes = new byte[cells.length];
        for (int i = 0; i < cells.length; i++) {
            bytes[i] = (byte) cells[i];
        }
        return new Grid(rows, cols, ByteBuffer.wrap(bytes));
    }

    public static PuzzleSolution solution(String requestId, SolveStatus status, Grid answer, int steps,
                                          HaltReason haltedBy, Long latencyMs) {
        return PuzzleSolution.newBuilder()
                .setRequestId(requestId)
                .setTask("sudoku")
                .setStatus(status)
                .setSolution(answer)
                .setSteps(steps)
                .setMaxSteps(16)
                .setHaltedBy(haltedBy)
                .setHaltConfidence(0.9f)
                .setModel("test-model")
                .setWorkerId("test-worker")
                .setBatchSize(1)
                .setQueuedMs(0L)
                .setInferenceMs(1L)
                .setLatencyMs(latencyMs)
                .setError(status == SolveStatus.REJECTED ? "rejected in test" : null)
                .setAttributes(Map.of())
                .build();
    }
}
