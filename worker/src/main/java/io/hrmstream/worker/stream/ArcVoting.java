package io.hrmstream.worker.stream;

import io.hrmstream.puzzles.ArcTask;
import io.hrmstream.puzzles.data.ArcIdentifiers;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.RequestAttributeNames;
import io.hrmstream.worker.engine.SolveRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ARC the official way: a request whose attributes name its ARC task ({@link RequestAttributeNames#ARC_TASK}) runs
 * as the augmented copies of that task the dataset's {@code identifiers.json} names (each copy's input transformed
 * by its augmentation, under its own puzzle-embedding row), at most {@code maxViews} of them, and is answered by
 * the official vote over their answers mapped back ({@link ArcBallot}). Other requests, and every request when the
 * worker has no identifiers, run as one view, as sent.
 *
 * @param identifiers the dataset's identifiers, or empty: no voting
 * @param maxViews    the most copies run per request; 0 = every copy the identifiers name
 */
public record ArcVoting(Optional<ArcIdentifiers> identifiers, int maxViews) {

    /**
     * Copies run per request by default. The official evaluation runs every copy (about 1,000 a task); a CPU
     * worker cannot afford that per request, and the first 8 (the task as it is, then copies in the builder's
     * random order) already pool several answers per vote.
     */
    public static final int DEFAULT_MAX_VIEWS = 8;

    public ArcVoting {
        if (maxViews < 0) throw new IllegalArgumentException("ARC views must be >= 0 (0 = all), was " + maxViews);
    }

    /** No identifiers: ARC requests run as one view. */
    public static ArcVoting off() {
        return new ArcVoting(Optional.empty(), DEFAULT_MAX_VIEWS);
    }

    /** What to run for a request. */
    sealed interface Plan permits Single, Views, Refused {
    }

    /** Not voted: the request runs as sent. */
    record Single() implements Plan {
    }

    /**
     * The views of a voted request: {@code views.get(k)} is run as {@code solveRequests.get(k)}.
     *
     * @param task the ARC task they are copies of
     */
    record Views(String task, List<TaskSubmissions.View> views, List<SolveRequest> solveRequests) implements Plan {
    }

    /** The request names a task the worker cannot vote on; {@code reason} goes into its REJECTED solution. */
    record Refused(String reason) implements Plan {
    }

    /**
     * The plan for a request the validator accepted.
     *
     * @param embeddingRows the model's puzzle-embedding rows: every copy's row must be below it
     */
    Plan plan(final PuzzleRequest request, final RequestValidator.Accepted accepted, final int embeddingRows) {
        final String task = request.getAttributes().get(RequestAttributeNames.ARC_TASK);
        if (identifiers.isEmpty() || task == null || !(accepted.task() instanceof ArcTask)) {
            return new Single();
        }
        final List<ArcIdentifiers.View> copies = identifiers.get().views(task);
        if (copies.isEmpty()) {
            return new Refused("ARC task '" + RequestLimits.quote(task) + "' (attribute "
                    + RequestAttributeNames.ARC_TASK + ") is not in this worker's --puzzle-ids");
        }
        final int count = maxViews == 0 ? copies.size() : Math.min(maxViews, copies.size());
        final SolveRequest plain = accepted.solveRequest();
        final List<TaskSubmissions.View> views = new ArrayList<>(count);
        final List<SolveRequest> solveRequests = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            final ArcIdentifiers.View copy = copies.get(k);
            if (copy.puzzleId() >= embeddingRows) {
                return new Refused("ARC task '" + RequestLimits.quote(task) + "': its copy "
                        + copy.augmentation().nameFor(task) + " is row " + copy.puzzleId()
                        + " of --puzzle-ids, but the model has " + embeddingRows + " puzzle embeddings");
            }
            views.add(new TaskSubmissions.View(k, copy.augmentation()));
            solveRequests.add(new SolveRequest(request.getId() + "/v" + k,
                    accepted.task().encode(copy.augmentation().apply(request.getGrid())), copy.puzzleId(),
                    plain.maxSteps()));
        }
        return new Views(task, views, solveRequests);
    }
}
