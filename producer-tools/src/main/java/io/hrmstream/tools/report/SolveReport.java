package io.hrmstream.tools.report;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;
import java.util.SortedMap;

/**
 * What collect and bench print: one run's solutions summarised. Serialised as JSON by {@code --json} with these
 * component names.
 *
 * @param expected     requests whose solutions were awaited (0 when unknown)
 * @param received     distinct solutions counted
 * @param missing      expected requests without a solution when the run stopped
 * @param duplicates   solutions received again for an already counted request id
 * @param ignored      solutions for request ids this run did not publish
 * @param statuses     count by SolveStatus name, every status listed
 * @param haltedBy     count by HaltReason name, every reason listed
 * @param steps        ACT steps -> count, over the solutions that ran the model (REJECTED ones did not)
 * @param meanSteps    mean of {@code steps}
 * @param latencyMs    the worker's {@code latencyMs} (now - submittedAtMs when it wrote the solution)
 * @param roundTripMs  from send to receipt by this process, read_committed (bench only, else null)
 * @param accuracy     exact-match accuracy against the known answers (null when none was known)
 * @param throughput   solutions per second over the run (bench only, else null)
 * @param compute      guess scaling: views started and ACT steps spent over all views, per solution that ran
 * @param arcPassAt2   ARC requests with a known answer scored as the official evaluator does: right when either
 *                     attempt ({@code solution} or {@code secondSolution}) equals it (null when none was known)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SolveReport(
        long expected,
        long received,
        long missing,
        long duplicates,
        long ignored,
        Map<String, Long> statuses,
        Map<String, Long> haltedBy,
        SortedMap<Integer, Long> steps,
        double meanSteps,
        LatencySummary latencyMs,
        LatencySummary roundTripMs,
        Accuracy accuracy,
        Throughput throughput,
        Compute compute,
        Accuracy arcPassAt2) {

    /**
     * @param known  counted solutions whose request had a known answer
     * @param exact  of those, solutions whose grid equals the known answer cell for cell
     * @param rate   exact / known
     */
    public record Accuracy(long known, long exact, double rate) {
    }

    /**
     * @param escalated    solutions whose worker raced more than one view (samples > 1)
     * @param meanSamples  views started per solution
     * @param computeSteps ACT steps over all views per solution (p50/p95/p99/mean; the same summary as latencies)
     */
    public record Compute(long escalated, double meanSamples, LatencySummary computeSteps) {
    }

    /** @param solutionsPerSecond received / (elapsedMs / 1000) */
    public record Throughput(long elapsedMs, double solutionsPerSecond) {
    }
}
