package io.hrmstream.tools.support;

import io.hrmstream.puzzles.SudokuTask;
import io.hrmstream.puzzles.data.SudokuSolver;
import io.hrmstream.schemas.HaltReason;
import io.hrmstream.worker.engine.EngineClosedException;
import io.hrmstream.worker.engine.ModelDescriptor;
import io.hrmstream.worker.engine.SolveFuture;
import io.hrmstream.worker.engine.SolveRequest;
import io.hrmstream.worker.engine.SolveResult;
import io.hrmstream.worker.engine.SolverEngine;
import io.hrmstream.worker.model.HaltRule;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double of the solver engine for sudoku: no model, the exact solver instead, on its own thread like the real
 * engine's inference thread. "Steps" grow with the blanks (1 + blanks / 10, capped by maxSteps), so the tools'
 * steps histogram has more than one bar.
 */
public final class ExactSudokuEngine implements SolverEngine {

    public static final ModelDescriptor MODEL = new ModelDescriptor("exact-sudoku-test-double", "sudoku", "none",
            SudokuTask.SEQ_LEN, SudokuTask.VOCAB_SIZE, 1, 16, HaltRule.Q_HALT_ABOVE_Q_CONTINUE, "cpu()");

    private final ExecutorService inferenceThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "exact-sudoku-engine");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean closed;

    @Override
    public ModelDescriptor model() {
        return MODEL;
    }

    @Override
    public SolveFuture submit(SolveRequest request) {
        if (closed) {
            return SolveFuture.failed(new EngineClosedException("closed"));
        }
        pending.incrementAndGet();
        long submittedNanos = System.nanoTime();
        SolveFuture future = new SolveFuture();
        inferenceThread.execute(() -> {
            try {
                future.complete(solve(request, submittedNanos));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            } finally {
                pending.decrementAndGet();
            }
        });
        return future;
    }

    private static SolveResult solve(SolveRequest request, long submittedNanos) {
        long started = System.nanoTime();
        byte[] cells = new byte[SudokuTask.SEQ_LEN];
        int blanks = 0;
        for (int i = 0; i < cells.length; i++) {
            cells[i] = (byte) (request.tokens()[i] - 1); // official sudoku tokens: cell + 1
            blanks += cells[i] == 0 ? 1 : 0;
        }
        byte[] solution = new SudokuSolver().solve(cells, 1).solution();
        int[] tokens = new int[SudokuTask.SEQ_LEN];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (solution == null ? cells[i] : solution[i]) + 1;
        }
        int steps = Math.min(request.maxSteps(), 1 + blanks / 10);
        HaltReason haltedBy = steps == request.maxSteps() ? HaltReason.MAX_STEPS : HaltReason.Q_HALT;
        return new SolveResult(request.requestId(), tokens, steps, request.maxSteps(), haltedBy, 0.9f, 1,
                started - submittedNanos, System.nanoTime() - started);
    }

    @Override
    public int pending() {
        return pending.get();
    }

    @Override
    public void close() {
        closed = true;
        inferenceThread.shutdownNow();
    }
}
