package io.hrmstream.tools.report;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** How many solutions used each number of ACT steps. */
public final class StepsHistogram {

    private final SortedMap<Integer, Long> countsBySteps = new TreeMap<>();

    public void record(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("ACT steps cannot be negative: " + steps);
        }
        countsBySteps.merge(steps, 1L, Long::sum);
    }

    /** Steps -> count, ascending by steps; only step counts that occurred. */
    public SortedMap<Integer, Long> counts() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(countsBySteps));
    }

    public long total() {
        return countsBySteps.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Mean steps, 0 when empty. */
    public double mean() {
        long total = total();
        if (total == 0) {
            return 0.0;
        }
        double sum = 0;
        for (Map.Entry<Integer, Long> e : countsBySteps.entrySet()) {
            sum += (double) e.getKey() * e.getValue();
        }
        return sum / total;
    }
}
