package io.hrmstream.worker.stream;

import io.hrmstream.schemas.HaltReason;
import io.hrmstream.worker.engine.EngineClosedException;
import io.hrmstream.worker.engine.ModelDescriptor;
import io.hrmstream.worker.engine.SolveFuture;
import io.hrmstream.worker.engine.SolveRequest;
import io.hrmstream.worker.engine.SolveResult;
import io.hrmstream.worker.engine.SolverEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Test double of the solver engine: no model, deterministic answers. Either it holds every puzzle until the
 * test completes it ({@link #holding}), or it answers each one on its own thread with a function of the
 * request ({@link #answering}), like the real engine's inference thread.
 */
final class ScriptedEngine implements SolverEngine {

    private final ModelDescriptor model;
    private final Function<SolveRequest, SolveResult> answer;
    private final ExecutorService inferenceThread;
    private final List<SolveRequest> submitted = new CopyOnWriteArrayList<>();
    private final Map<String, SolveFuture> pending = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private ScriptedEngine(final ModelDescriptor model, final Function<SolveRequest, SolveResult> answer) {
        this.model = model;
        this.answer = answer;
        this.inferenceThread = answer == null ? null : Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "scripted-engine");
            t.setDaemon(true);
            return t;
        });
    }

    /** Puzzles stay pending until {@link #complete} or {@link #fail}. */
    static ScriptedEngine holding(final ModelDescriptor model) {
        return new ScriptedEngine(model, null);
    }

    /** Every puzzle completes soon after submit, on the engine's own thread, with {@code answer}. */
    static ScriptedEngine answering(final ModelDescriptor model, final Function<SolveRequest, SolveResult> answer) {
        return new ScriptedEngine(model, answer);
    }

    /** A result that echoes the input tokens: the puzzle "halted" after {@code steps} steps. */
    static SolveResult echo(final SolveRequest request, final int steps) {
        return new SolveResult(request.requestId(), request.tokens(), steps, request.maxSteps(), HaltReason.Q_HALT,
                0.9f, 1, 1_000_000L, 2_000_000L);
    }

    @Override
    public ModelDescriptor model() {
        return model;
    }

    @Override
    public SolveFuture submit(final SolveRequest request) {
        if (closed) {
            throw new EngineClosedException("engine closed");
        }
        submitted.add(request);
        final SolveFuture future = new SolveFuture();
        pending.put(request.requestId(), future);
        if (inferenceThread != null) {
            inferenceThread.execute(() -> {
                if (pending.remove(request.requestId(), future)) {
                    future.complete(answer.apply(request));
                }
            });
        }
        return future;
    }

    /** Completes a held puzzle, on the caller's thread. */
    void complete(final SolveResult result) {
        final SolveFuture future = pending.remove(result.requestId());
        if (future == null) {
            throw new IllegalStateException("no pending puzzle " + result.requestId());
        }
        future.stepped(result.steps());
        future.complete(result);
    }

    /** A held puzzle has run {@code steps} ACT steps (as the real engine reports while it runs). */
    void stepped(final String requestId, final int steps) {
        pending.get(requestId).stepped(steps);
    }

    /** Whether the held puzzle's future was cancelled by its caller. */
    boolean cancelled(final String requestId) {
        final SolveFuture future = pending.get(requestId);
        return future != null && future.isCancelled();
    }

    void fail(final String requestId, final RuntimeException error) {
        pending.remove(requestId).completeExceptionally(error);
    }

    /** Every request submitted so far, in order (resubmissions included). */
    List<SolveRequest> submitted() {
        return new ArrayList<>(submitted);
    }

    SolveRequest submitted(final String requestId) {
        return submitted.stream().filter(r -> r.requestId().equals(requestId)).reduce((a, b) -> b).orElseThrow();
    }

    @Override
    public int pending() {
        return pending.size();
    }

    @Override
    public void close() {
        closed = true;
        if (inferenceThread != null) {
            inferenceThread.shutdownNow();
        }
        pending.values().forEach(f -> f.completeExceptionally(new EngineClosedException("engine closed")));
        pending.clear();
    }
}
