package io.hrmstream.worker.train;

import io.hrmstream.schemas.HaltReason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalReportTest {

    private static EvalReport.Outcome outcome(boolean exact, int right, int steps, HaltReason by, float conf, int givens) {
        return new EvalReport.Outcome(exact, right, 81, steps, by, conf, givens);
    }

    /** Eight puzzles, two per givens value 50, 55, 60, 65; easier ones right and quick. */
    private static EvalReport sample() {
        EvalReport r = new EvalReport(4);
        r.add(outcome(false, 70, 4, HaltReason.MAX_STEPS, 0.1f, 50));
        r.add(outcome(false, 75, 4, HaltReason.MAX_STEPS, 0.7f, 50));   // confident but wrong
        r.add(outcome(true, 81, 4, HaltReason.MAX_STEPS, 0.2f, 55));    // right but not confident
        r.add(outcome(false, 80, 3, HaltReason.Q_HALT, 0.4f, 55));
        r.add(outcome(true, 81, 2, HaltReason.Q_HALT, 0.9f, 60));
        r.add(outcome(true, 81, 2, HaltReason.Q_HALT, 0.9f, 60));
        r.add(outcome(true, 81, 1, HaltReason.Q_HALT, 0.8f, 65));
        r.add(outcome(true, 81, 1, HaltReason.Q_HALT, 0.95f, 65));
        return r;
    }

    @Test
    void accuraciesStepsAndHaltCountsFollowFromTheOutcomes() {
        EvalReport r = sample();
        assertEquals(5 / 8.0, r.exactAccuracy(), 1e-12);
        assertEquals((70 + 75 + 81 + 80 + 81 * 4) / (8 * 81.0), r.cellAccuracy(), 1e-12);
        assertEquals(21 / 8.0, r.meanSteps(), 1e-12);
        assertArrayEquals(new int[] {2, 2, 1, 3}, r.stepsHistogram());
        assertEquals(Map.of(HaltReason.Q_HALT, 5, HaltReason.MAX_STEPS, 3), r.haltedBy());
        assertEquals(6 / 8.0, r.qHaltAccuracy(), 1e-12, "two of eight disagree with sigmoid(q_halt) > 0.5");
    }

    @Test
    void quartilesSplitTheSortedDifficultiesIntoFourBands() {
        List<EvalReport.Band> bands = sample().byDifficultyQuartile();
        assertEquals(List.of(
                new EvalReport.Band(50, 50, 2, 0.0, 4.0),
                new EvalReport.Band(55, 55, 2, 0.5, 3.5),
                new EvalReport.Band(60, 60, 2, 1.0, 2.0),
                new EvalReport.Band(65, 65, 2, 1.0, 1.0)), bands);
    }

    @Test
    void tiedDifficultiesNeverLandInTwoBands() {
        EvalReport r = new EvalReport(2);
        for (int i = 0; i < 6; i++) r.add(outcome(true, 81, 1, HaltReason.Q_HALT, 0.9f, 60));
        r.add(outcome(false, 80, 2, HaltReason.MAX_STEPS, 0.1f, 61));
        r.add(outcome(false, 80, 2, HaltReason.MAX_STEPS, 0.1f, 62));
        List<EvalReport.Band> bands = r.byDifficultyQuartile();
        assertEquals(new EvalReport.Band(60, 60, 6, 1.0, 1.0), bands.get(0));
        assertEquals(8, bands.stream().mapToInt(EvalReport.Band::puzzles).sum());
        assertTrue(bands.size() < 4);
    }
}
