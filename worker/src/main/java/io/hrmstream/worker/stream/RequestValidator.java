package io.hrmstream.worker.stream;

import io.hrmstream.puzzles.PuzzleTask;
import io.hrmstream.puzzles.PuzzleTasks;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.worker.engine.ModelDescriptor;
import io.hrmstream.worker.engine.SolveRequest;

import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Decides whether a decoded request can go to the engine, and if not, says why in words the sender can act
 * on. Checks that need no model come first, so a malformed puzzle is reported as such even without a model.
 */
public final class RequestValidator {

    /** The reason every request is rejected with when the worker runs without a model. */
    public static final String NO_MODEL = "no model configured";

    /** The outcome of {@link #validate}. */
    public sealed interface Verdict permits Accepted, Rejected {
    }

    /**
     * The request is valid: its task (for decoding and verifying the answer), what to submit, and the most views
     * guess scaling may race for it.
     */
    public record Accepted(PuzzleTask task, SolveRequest solveRequest, int samples) implements Verdict {
    }

    /** The request is invalid; {@code reason} goes into the REJECTED solution's error. */
    public record Rejected(String reason) implements Verdict {
    }

    private final Map<String, ModelDescriptor> models;
    private final GuessScaling guessScaling;

    /** @param models the served models by task (empty: none, every request is rejected with {@link #NO_MODEL}) */
    public RequestValidator(final Map<String, ModelDescriptor> models, final GuessScaling guessScaling) {
        this.models = Map.copyOf(models);
        this.guessScaling = guessScaling;
    }

    public Verdict validate(final PuzzleRequest request) {
        if (request.getId().isEmpty()) {
            return reject("id is empty");
        }
        final Optional<String> overLimit = RequestLimits.broken(request);
        if (overLimit.isPresent()) {
            return new Rejected(overLimit.get());
        }
        final Optional<PuzzleTask> found = PuzzleTasks.forName(request.getTask());
        if (found.isEmpty()) {
            return reject("unknown task '%s' (known: %s)", RequestLimits.quote(request.getTask()),
                    new TreeSet<>(PuzzleTasks.names()));
        }
        final PuzzleTask task = found.get();
        final Grid grid = request.getGrid();
        if (grid.getRows() < 1 || grid.getCols() < 1) {
            return reject("grid must have at least one row and one column, was %dx%d", grid.getRows(), grid.getCols());
        }
        final int cells = grid.getCells().remaining();
        if (cells != (long) grid.getRows() * grid.getCols()) {
            return reject("grid has %d cells but rows*cols = %d*%d", cells, grid.getRows(), grid.getCols());
        }
        final Optional<String> invalidGrid = task.checkInput(grid);
        if (invalidGrid.isPresent()) {
            return reject("invalid %s grid: %s", task.name(), invalidGrid.get());
        }
        final Integer requestedMaxSteps = request.getMaxSteps();
        if (requestedMaxSteps != null && requestedMaxSteps < 1) {
            return reject("maxSteps must be >= 1, was %d", requestedMaxSteps);
        }
        final Integer samples = request.getSamples();
        if (samples != null && (samples < 1 || samples > guessScaling.maxSamples())) {
            return reject("samples must be in 1..%d (this worker's --max-samples), was %d",
                    guessScaling.maxSamples(), samples);
        }
        if (models.isEmpty()) {
            return reject(NO_MODEL);
        }
        final ModelDescriptor m = models.get(task.name());
        if (m == null) {
            return reject("no model for %s puzzles on this worker (it serves %s)", task.name(),
                    new TreeSet<>(models.keySet()));
        }
        if (task.vocabSize() != m.vocabSize()) {
            return reject("model %s has a vocabulary of %d tokens, the %s codec uses %d",
                    m.name(), m.vocabSize(), task.name(), task.vocabSize());
        }
        final int[] tokens = task.encode(grid);
        if (tokens.length != m.seqLen()) {
            return reject("a %dx%d %s grid is %d tokens, model %s takes %d",
                    grid.getRows(), grid.getCols(), task.name(), tokens.length, m.name(), m.seqLen());
        }
        final int puzzleId = request.getPuzzleId();
        if (puzzleId < 0 || puzzleId >= m.numPuzzleIdentifiers()) {
            return reject("puzzleId %d has no embedding in model %s (it has %d: 0..%d)",
                    puzzleId, m.name(), m.numPuzzleIdentifiers(), m.numPuzzleIdentifiers() - 1);
        }
        final int maxSteps = requestedMaxSteps == null ? m.defaultMaxSteps() : requestedMaxSteps;
        return new Accepted(task, new SolveRequest(request.getId(), tokens, puzzleId, maxSteps),
                guessScaling.samplesFor(samples, task, grid));
    }

    private static Rejected reject(final String format, final Object... args) {
        return new Rejected(String.format(format, args));
    }
}
