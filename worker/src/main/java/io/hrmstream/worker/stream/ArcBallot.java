package io.hrmstream.worker.stream;

import io.hrmstream.puzzles.ArcVote;
import io.hrmstream.puzzles.Grids;
import io.hrmstream.schemas.PuzzleSolution;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One ARC request's vote ({@link ArcVoting}), from its first view's submission until every view has finished. The
 * answers are counted in view order once all are in, not in the order the engine finished them, so a replayed
 * request (its views are fixed by the identifiers) is answered the same way. Stream thread only; not stored: a task
 * that restarts mid-vote resubmits the request and the vote runs again.
 */
final class ArcBallot {

    /** Each view's answer, already mapped back to the task as it is; null while running or when it failed. */
    private final PuzzleSolution[] answers;
    private int finished;
    private int computeSteps;

    ArcBallot(final int views) {
        this.answers = new PuzzleSolution[views];
    }

    /** View {@code view} answered. */
    void answered(final int view, final PuzzleSolution answer) {
        answers[view] = answer;
        finished++;
        computeSteps += answer.getSteps();
    }

    /** A view failed in the engine (e.g. non-finite output): it has no vote. */
    void failed() {
        finished++;
    }

    boolean decided() {
        return finished >= answers.length;
    }

    /**
     * The answer to send: the winning answer in {@code solution} with the runner-up in {@code secondSolution}
     * (null when every view agreed), the winner's votes, the views run and the steps spent over all of them; the
     * other fields are those of the first view that gave the winning answer. Empty when every view failed.
     */
    Optional<PuzzleSolution> answer() {
        final ArcVote vote = new ArcVote();
        for (final PuzzleSolution answer : answers) {
            if (answer != null) vote.add(answer.getSolution(), answer.getHaltConfidence());
        }
        final List<ArcVote.Candidate> top = vote.top(ArcVote.ATTEMPTS);
        if (top.isEmpty()) {
            return Optional.empty();
        }
        final ArcVote.Candidate winner = top.get(0);
        final byte[] winning = Grids.cells(winner.answer());
        PuzzleSolution chosen = null;
        for (final PuzzleSolution answer : answers) {
            if (answer != null && answer.getSolution().getRows() == winner.answer().getRows()
                    && Arrays.equals(Grids.cells(answer.getSolution()), winning)) {
                chosen = answer;
                break;
            }
        }
        // set in place: the ballot owns its answers, and a builder copy would reflect on the generated classes
        chosen.setSecondSolution(top.size() > 1 ? top.get(1).answer() : null);
        chosen.setVotes(winner.votes());
        chosen.setSamples(answers.length);
        chosen.setComputeSteps(computeSteps);
        return Optional.of(chosen);
    }
}
