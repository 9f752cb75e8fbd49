package io.hrmstream.tools.report;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StepsHistogramTest {

    @Test
    void countsEachStepValueInAscendingOrderAndAveragesThem() {
        StepsHistogram histogram = new StepsHistogram();
        for (int steps : new int[] {8, 2, 8, 16, 2, 8}) {
            histogram.record(steps);
        }
        assertEquals(Map.of(2, 2L, 8, 3L, 16, 1L), histogram.counts());
        assertEquals(2, histogram.counts().firstKey());
        assertEquals(6, histogram.total());
        assertEquals((2 * 2 + 8 * 3 + 16) / 6.0, histogram.mean(), 1e-9);
    }

    @Test
    void anEmptyHistogramHasMeanZero() {
        assertEquals(0.0, new StepsHistogram().mean());
    }

    @Test
    void negativeStepsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StepsHistogram().record(-1));
    }
}
