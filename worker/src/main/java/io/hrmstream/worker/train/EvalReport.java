package io.hrmstream.worker.train;

import io.hrmstream.schemas.HaltReason;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The evaluation statistics of one mode over a held-out set: exact and per-cell accuracy, ACT steps (mean and
 * histogram), how puzzles halted, whether the Q head's confidence predicts a right answer, and accuracy and mean
 * steps by difficulty quartile.
 */
public final class EvalReport {

    /**
     * One solved puzzle.
     *
     * @param exact          every labelled cell right
     * @param rightCells     labelled cells right
     * @param labelledCells  labelled cells
     * @param steps          ACT steps used
     * @param haltedBy       what stopped it
     * @param haltConfidence sigmoid(q_halt) at its last step
     * @param difficulty     givens (sudoku) or path length (maze)
     */
    public record Outcome(boolean exact, int rightCells, int labelledCells, int steps, HaltReason haltedBy,
                          float haltConfidence, int difficulty) {
    }

    /**
     * Accuracy and steps of the puzzles whose difficulty lies in [from, to].
     */
    public record Band(int from, int to, int puzzles, double exactAccuracy, double meanSteps) {
    }

    private final List<Outcome> outcomes = new ArrayList<>();
    private final int maxSteps;

    public EvalReport(int maxSteps) {
        this.maxSteps = maxSteps;
    }

    public void add(Outcome o) {
        outcomes.add(o);
    }

    public int puzzles() {
        return outcomes.size();
    }

    public double exactAccuracy() {
        return outcomes.stream().filter(Outcome::exact).count() / (double) outcomes.size();
    }

    /** Right labelled cells over all labelled cells. */
    public double cellAccuracy() {
        long right = outcomes.stream().mapToLong(Outcome::rightCells).sum();
        long all = outcomes.stream().mapToLong(Outcome::labelledCells).sum();
        return right / (double) all;
    }

    public double meanSteps() {
        return outcomes.stream().mapToInt(Outcome::steps).average().orElse(Double.NaN);
    }

    /** Puzzles that used 1..maxSteps steps (index k-1 for k steps). */
    public int[] stepsHistogram() {
        int[] histogram = new int[maxSteps];
        for (Outcome o : outcomes) histogram[o.steps() - 1]++;
        return histogram;
    }

    public Map<HaltReason, Integer> haltedBy() {
        Map<HaltReason, Integer> counts = new EnumMap<>(HaltReason.class);
        for (Outcome o : outcomes) counts.merge(o.haltedBy(), 1, Integer::sum);
        return counts;
    }

    /** Share of puzzles where sigmoid(q_halt) > 0.5 agrees with the answer being exactly right. */
    public double qHaltAccuracy() {
        return outcomes.stream().filter(o -> (o.haltConfidence() > 0.5f) == o.exact()).count() / (double) outcomes.size();
    }

    /**
     * Four difficulty bands with about a quarter of the puzzles each: the sorted difficulties are cut at ranks
     * n/4, n/2, 3n/4, and a band runs from its first to its last value (a value on a cut goes to the lower band,
     * so bands never overlap and may be unequal when many puzzles share a value).
     */
    public List<Band> byDifficultyQuartile() {
        int[] sorted = outcomes.stream().mapToInt(Outcome::difficulty).sorted().toArray();
        int n = sorted.length;
        List<Band> bands = new ArrayList<>();
        int lowerExclusive = Integer.MIN_VALUE;
        for (int q = 1; q <= 4; q++) {
            int upper = q == 4 ? sorted[n - 1] : sorted[Math.max(0, q * n / 4 - 1)];
            if (upper <= lowerExclusive) continue;
            int low = lowerExclusive;
            List<Outcome> in = outcomes.stream().filter(o -> o.difficulty() > low && o.difficulty() <= upper).toList();
            int from = in.stream().mapToInt(Outcome::difficulty).min().orElse(upper);
            bands.add(new Band(from, upper, in.size(),
                    in.stream().filter(Outcome::exact).count() / (double) in.size(),
                    in.stream().mapToInt(Outcome::steps).average().orElse(Double.NaN)));
            lowerExclusive = upper;
        }
        return bands;
    }

    /** The report as aligned text lines, reports side by side (e.g. act and fixed). */
    public static String format(List<String> names, List<EvalReport> reports, String difficultyName) {
        StringBuilder out = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-28s", "");
        for (String name : names) header += String.format(Locale.ROOT, "%18s", name);
        out.append(header).append('\n');
        row(out, "puzzles", reports, r -> String.valueOf(r.puzzles()));
        row(out, "exact accuracy", reports, r -> pct(r.exactAccuracy()));
        row(out, "per-cell accuracy", reports, r -> pct(r.cellAccuracy()));
        row(out, "mean ACT steps", reports, r -> String.format(Locale.ROOT, "%.2f / %d", r.meanSteps(), r.maxSteps));
        row(out, "q-halt accuracy", reports, r -> pct(r.qHaltAccuracy()));
        for (HaltReason reason : HaltReason.values()) {
            row(out, "halted by " + reason, reports, r -> String.valueOf(r.haltedBy().getOrDefault(reason, 0)));
        }
        row(out, "steps histogram (1..max)", reports, r -> "");
        for (int k = 1; k <= reports.get(0).maxSteps; k++) {
            int step = k;
            row(out, "  " + k + " steps", reports, r -> step <= r.maxSteps ? String.valueOf(r.stepsHistogram()[step - 1]) : "-");
        }
        out.append(difficultyName).append(" quartile: exact accuracy / mean steps\n");
        List<Band> bands = reports.get(0).byDifficultyQuartile();
        for (int i = 0; i < bands.size(); i++) {
            Band b = bands.get(i);
            int index = i;
            row(out, String.format(Locale.ROOT, "  %d-%d (%d puzzles)", b.from(), b.to(), b.puzzles()), reports, r -> {
                Band rb = r.byDifficultyQuartile().get(index);
                return String.format(Locale.ROOT, "%s / %.2f", pct(rb.exactAccuracy()), rb.meanSteps());
            });
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String label, List<EvalReport> reports,
                            java.util.function.Function<EvalReport, String> cell) {
        out.append(String.format(Locale.ROOT, "%-28s", label));
        for (EvalReport r : reports) out.append(String.format(Locale.ROOT, "%18s", cell.apply(r)));
        out.append('\n');
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    @Override
    public String toString() {
        return "EvalReport" + Arrays.toString(new double[] {exactAccuracy(), cellAccuracy(), meanSteps()});
    }
}
