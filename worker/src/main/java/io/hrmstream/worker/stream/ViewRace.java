package io.hrmstream.worker.stream;

import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;

/**
 * One request's guess-scaling race, from the moment its first answer failed the verifier until one view's answer
 * verifies or every view has finished. Holds the best answer so far (the highest halt confidence, for when none
 * verifies) and the compute spent. Stream thread only; not stored: a task that restarts mid-race resubmits the
 * request, whose views are drawn from its id, so the same race runs again and is answered once.
 */
final class ViewRace {

    private final int views;
    private int finished;
    private int computeSteps;
    private PuzzleSolution best;

    /**
     * @param views the views in the race, the first one included
     * @param first the first view's answer, which failed the verifier
     */
    ViewRace(final int views, final PuzzleSolution first) {
        this.views = views;
        this.finished = 1;
        this.computeSteps = first.getSteps();
        this.best = first;
    }

    /** An augmented view answered (already mapped back to the puzzle as sent). */
    void answered(final PuzzleSolution answer) {
        finished++;
        computeSteps += answer.getSteps();
        if (answer.getStatus() == SolveStatus.SOLVED
                || (best.getStatus() != SolveStatus.SOLVED && answer.getHaltConfidence() > best.getHaltConfidence())) {
            best = answer;
        }
    }

    /** An augmented view failed in the engine (e.g. non-finite output): it counts as a view that did not verify. */
    void failed() {
        finished++;
    }

    /** True when an answer verified or no view is left running. */
    boolean decided() {
        return best.getStatus() == SolveStatus.SOLVED || finished >= views;
    }

    /**
     * The answer to send: the verified view's, else the most confident one, with the views started and the steps
     * spent over all of them ({@code cancelledSteps}: what the views cancelled at the end had run).
     */
    PuzzleSolution answer(final int cancelledSteps) {
        // set in place: the race owns its answers, and a builder copy would reflect on the generated classes
        best.setSamples(views);
        best.setComputeSteps(computeSteps + cancelledSteps);
        return best;
    }
}
