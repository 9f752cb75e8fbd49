package io.hrmstream.worker.web;

import io.hrmstream.puzzles.PuzzleTask;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.SolveFuture;
import io.hrmstream.worker.engine.SolveResult;
import io.hrmstream.worker.engine.SolverEngine;
import io.hrmstream.worker.engine.TracedStep;
import io.hrmstream.worker.stream.GuessScaling;
import io.hrmstream.worker.stream.RequestValidator;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The console's inspector: runs one puzzle on the engine of its task with every ACT step traced, and reads each
 * step's prediction back as a grid, as the HRM paper's figures of intermediate steps show it. The puzzle is checked
 * by the stream's own {@link RequestValidator} (shape, the task's {@link PuzzleTask#checkInput}, the model's
 * vocabulary and length), so the inspector takes exactly the puzzles the worker takes from {@code hrm.requests}.
 *
 * <p>Inference runs on the engine's inference thread, as every request's does; {@link #inspect} only validates and
 * submits, and the caller is handed a future (bounded by the timeout) rather than a thread to block.
 */
public final class Inspector {

    /** How long an inspection may wait for its puzzle to halt (queue included) before it is cancelled. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Inspections running at once: each takes a slot from the stream's puzzles, so a page cannot take many. */
    static final int MAX_IN_FLIGHT = 4;

    private final EngineRoster engines;
    private final RequestValidator validator;
    private final Duration timeout;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong inspections = new AtomicLong();

    public Inspector(final EngineRoster engines, final Duration timeout) {
        this.engines = engines;
        // one view: the inspector shows the model's own steps on the puzzle as given, never an augmented copy
        this.validator = new RequestValidator(engines.models(), new GuessScaling(1, 1));
        this.timeout = timeout;
    }

    /**
     * A puzzle to inspect, as the page posts it: {@code cells} row-major in the task's alphabet (unsigned bytes, as
     * {@code /api/recent} lists givens); {@code puzzleId} and {@code maxSteps} as in a {@code PuzzleRequest} (null:
     * 0 and the model's cap).
     */
    public record Puzzle(String task, int rows, int cols, int[] cells, Integer puzzleId, Integer maxSteps) {
    }

    /**
     * One step as the page draws it: the grid the model would answer had it stopped here ({@code cells} empty and
     * {@code error} set when the prediction does not read back as a grid), the verifier's status for it, the q
     * logits (null where the model has none), and whether the engine halted on them here.
     */
    public record Step(int step, int rows, int cols, int[] cells, String status, Float qHalt, Float qContinue,
                       boolean halted, String error) {
    }

    /** A traced puzzle: its givens and every step, the last being the answer the worker would send. */
    public record Inspection(String id, String task, String model, int rows, int cols, int[] givens, int maxSteps,
                             String haltedBy, String status, List<Step> steps) {
    }

    /** Why an inspection has no answer, with the HTTP status that says so. */
    public static final class InspectionException extends RuntimeException {
        private final int httpStatus;

        InspectionException(final int httpStatus, final String reason, final Throwable cause) {
            super(reason, cause);
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    /**
     * Submits the puzzle, traced, to its task's engine. The future fails with an {@link InspectionException}: 400
     * for a puzzle the worker would reject (the reason is the rejection's), 429 while {@link #MAX_IN_FLIGHT}
     * inspections run, 504 when the puzzle has not halted within the timeout (it is then taken out of the engine),
     * 500 when the engine fails it.
     */
    public CompletableFuture<Inspection> inspect(final Puzzle puzzle) {
        final PuzzleRequest request;
        try {
            request = request(puzzle);
        } catch (final IllegalArgumentException e) {
            return refused(400, e.getMessage());
        }
        final RequestValidator.Verdict verdict = validator.validate(request);
        if (verdict instanceof RequestValidator.Rejected rejected) {
            return refused(400, rejected.reason());
        }
        final RequestValidator.Accepted accepted = (RequestValidator.Accepted) verdict;
        final SolverEngine engine = engines.forTask(accepted.task().name()).orElseThrow();
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            return refused(429, MAX_IN_FLIGHT + " inspections are running; try again when one has finished");
        }
        final SolveFuture solving = engine.submit(accepted.solveRequest().withTrace());
        // the timeout goes on a dependent: orTimeout on the engine's own future would complete it, not cancel it
        return solving.thenApply(result -> result)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((result, failure) -> {
                    inFlight.decrementAndGet();
                    if (failure == null) {
                        return view(request, accepted.task(), engine.model().name(), result);
                    }
                    final Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    if (cause instanceof TimeoutException) {
                        solving.cancel(false);   // frees its slot before the engine's next step
                        throw new InspectionException(504, "the puzzle did not halt within " + timeout.toSeconds()
                                + " s", cause);
                    }
                    throw new InspectionException(500, "the engine failed the puzzle: " + cause.getMessage(), cause);
                });
    }

    private PuzzleRequest request(final Puzzle puzzle) {
        if (puzzle == null) {
            throw new IllegalArgumentException("not a puzzle: null");
        }
        if (puzzle.task() == null) {
            throw new IllegalArgumentException("task missing");
        }
        if (puzzle.cells() == null) {
            throw new IllegalArgumentException("cells missing");
        }
        final byte[] cells = new byte[puzzle.cells().length];
        for (int i = 0; i < cells.length; i++) {
            final int cell = puzzle.cells()[i];
            if (cell < 0 || cell > 255) {
                throw new IllegalArgumentException("cell " + i + " is " + cell + "; cells are bytes, 0..255");
            }
            cells[i] = (byte) cell;
        }
        return PuzzleRequest.newBuilder()
                .setId("inspect-" + inspections.incrementAndGet())
                .setTask(puzzle.task())
                .setGrid(new Grid(puzzle.rows(), puzzle.cols(), ByteBuffer.wrap(cells)))
                .setPuzzleId(puzzle.puzzleId() == null ? 0 : puzzle.puzzleId())
                .setMaxSteps(puzzle.maxSteps())
                .setAttributes(Map.of())
                .build();
    }

    private static Inspection view(final PuzzleRequest request, final PuzzleTask task, final String model,
                                   final SolveResult result) {
        final Grid input = request.getGrid();
        final List<Step> steps = new ArrayList<>(result.trace().size());
        for (final TracedStep traced : result.trace()) {
            steps.add(step(task, input, traced));
        }
        final Step last = steps.get(steps.size() - 1);
        return new Inspection(request.getId(), task.name(), model, input.getRows(), input.getCols(),
                RecentSolutions.unsigned(input.getCells()), result.maxSteps(), result.haltedBy().name(),
                last.status(), steps);
    }

    private static Step step(final PuzzleTask task, final Grid input, final TracedStep traced) {
        final Float qHalt = traced.qHalt();
        final Float qContinue = Float.isNaN(traced.qContinue()) ? null : traced.qContinue();
        try {
            final Grid answer = task.decode(traced.tokens(), input);
            return new Step(traced.step(), answer.getRows(), answer.getCols(),
                    RecentSolutions.unsigned(answer.getCells()), task.verify(input, answer).name(), qHalt, qContinue,
                    traced.halted(), null);
        } catch (final IllegalArgumentException e) {
            return new Step(traced.step(), 0, 0, new int[0], null, qHalt, qContinue, traced.halted(), e.getMessage());
        }
    }

    private static CompletableFuture<Inspection> refused(final int httpStatus, final String reason) {
        return CompletableFuture.failedFuture(new InspectionException(httpStatus, reason, null));
    }
}
