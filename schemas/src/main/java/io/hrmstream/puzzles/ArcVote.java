package io.hrmstream.puzzles;

import io.hrmstream.schemas.Grid;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The official ARC evaluator's vote ({@code evaluators/arc.py}, {@code ARC.result}) over the answers of one test
 * input's views, each already mapped back to the task as it is: identical answers (same shape, same cells; the
 * evaluator compares a hash of exactly those) pool their votes; answers rank by votes, then by the mean halting
 * confidence (sigmoid of q_halt) of their views, both descending; answers equal in both keep the order in which
 * they were first given (Python's sort is stable). The first two ranked are the two attempts pass@2 scores.
 *
 * <p>Written by hand: the rule is the evaluator's, a few lines over a map.
 */
public final class ArcVote {

    /** Answers the official submission gives per test input (its {@code submission_K}). */
    public static final int ATTEMPTS = 2;

    /**
     * One distinct answer and its support.
     *
     * @param answer         the answer grid
     * @param votes          views that gave it
     * @param meanConfidence mean of their halting confidences
     */
    public record Candidate(Grid answer, int votes, double meanConfidence) {
    }

    private final Map<AnswerKey, Tally> tallies = new LinkedHashMap<>();

    /** One view's answer (mapped back) and its halting confidence. */
    public void add(final Grid answer, final double haltConfidence) {
        tallies.computeIfAbsent(AnswerKey.of(answer), k -> new Tally(answer)).add(haltConfidence);
    }

    /** Views counted. */
    public int views() {
        return tallies.values().stream().mapToInt(t -> t.votes).sum();
    }

    /** Every distinct answer, best first. */
    public List<Candidate> ranked() {
        List<Candidate> candidates = new ArrayList<>(tallies.size());
        for (Tally t : tallies.values()) candidates.add(new Candidate(t.answer, t.votes, t.sum / t.votes));
        // List.sort is stable: equal candidates stay in first-given order, as in the evaluator
        candidates.sort(Comparator.comparingInt(Candidate::votes).reversed()
                .thenComparing(Comparator.comparingDouble(Candidate::meanConfidence).reversed()));
        return candidates;
    }

    /** The best {@code k} answers (fewer when fewer distinct answers were given). */
    public List<Candidate> top(final int k) {
        List<Candidate> ranked = ranked();
        return ranked.subList(0, Math.min(k, ranked.size()));
    }

    private static final class Tally {
        private final Grid answer;
        private int votes;
        private double sum;

        Tally(final Grid answer) {
            this.answer = answer;
        }

        void add(final double confidence) {
            votes++;
            sum += confidence;
        }
    }

    /** Shape and cells: what the evaluator's {@code grid_hash} covers. */
    private record AnswerKey(int rows, int cols, ByteBuffer cells) {
        static AnswerKey of(final Grid grid) {
            return new AnswerKey(grid.getRows(), grid.getCols(), ByteBuffer.wrap(Grids.cells(grid)));
        }
    }
}
