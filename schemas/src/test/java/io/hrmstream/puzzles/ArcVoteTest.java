package io.hrmstream.puzzles;

import io.hrmstream.schemas.Grid;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The official ARC evaluator's vote over scripted view answers. */
class ArcVoteTest {

    private static final Grid A = Grids.of(1, 2, new byte[]{1, 2});
    private static final Grid B = Grids.of(2, 1, new byte[]{1, 2});   // same cells as A, other shape
    private static final Grid C = Grids.of(1, 1, new byte[]{3});

    @Test
    void theAnswerMostViewsGaveWinsWhateverItsConfidence() {
        ArcVote vote = new ArcVote();
        vote.add(C, 0.99);
        vote.add(A, 0.2);
        vote.add(B, 0.9);
        vote.add(A, 0.4);

        List<ArcVote.Candidate> ranked = vote.ranked();

        assertEquals(List.of(2, 1, 1), ranked.stream().map(ArcVote.Candidate::votes).toList());
        assertCells(A, ranked.get(0).answer());
        assertEquals(0.3, ranked.get(0).meanConfidence(), 1e-12);
        assertCells(C, ranked.get(1).answer());   // tied on votes: the higher mean confidence first
        assertEquals(4, vote.views());
    }

    @Test
    void answersWithTheSameCellsButAnotherShapeAreDifferentAnswers() {
        ArcVote vote = new ArcVote();
        vote.add(A, 0.5);
        vote.add(B, 0.5);
        vote.add(Grids.of(1, 2, new byte[]{1, 2}), 0.5);

        List<ArcVote.Candidate> ranked = vote.ranked();

        assertEquals(2, ranked.size());
        assertEquals(2, ranked.get(0).votes());
        assertEquals(1, ranked.get(0).answer().getRows());
    }

    @Test
    void tiesInVotesAndMeanConfidenceKeepTheOrderTheAnswersWereFirstGiven() {
        ArcVote vote = new ArcVote();
        vote.add(C, 0.5);
        vote.add(A, 0.5);
        vote.add(B, 0.5);

        List<ArcVote.Candidate> top = vote.top(ArcVote.ATTEMPTS);

        assertEquals(2, top.size());
        assertCells(C, top.get(0).answer());
        assertCells(A, top.get(1).answer());
    }

    @Test
    void oneDistinctAnswerGivesOneAttemptAndNoAnswersGiveNone() {
        ArcVote vote = new ArcVote();
        assertEquals(List.of(), vote.top(2));
        vote.add(A, 0.1);
        vote.add(A, 0.3);

        assertEquals(1, vote.top(2).size());
        assertEquals(2, vote.top(2).get(0).votes());
    }

    private static void assertCells(Grid expected, Grid actual) {
        assertEquals(expected.getRows(), actual.getRows());
        assertArrayEquals(Grids.cells(expected), Grids.cells(actual));
    }
}
