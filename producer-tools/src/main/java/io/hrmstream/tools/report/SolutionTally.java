package io.hrmstream.tools.report;

import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.tools.answers.PublishedRequest;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Counts solutions as they arrive and joins them with the requests that were published, by request id. With no
 * published requests given, every solution counts; with them, solutions for other ids (older runs) are ignored and
 * the tally is complete once each published id has its solution. Not thread-safe: feed it from one consumer thread.
 */
public final class SolutionTally {

    /** What {@link #add} did with a solution. */
    public enum Outcome { COUNTED, DUPLICATE, IGNORED }

    /** The task whose answers are scored pass@2 (two attempts), as the official ARC evaluator does. */
    private static final String ARC = "arc";

    private final Map<String, PublishedRequest> published;
    private final Set<String> counted = new HashSet<>();
    private final EnumMap<SolveStatus, Long> statuses = new EnumMap<>(SolveStatus.class);
    private final EnumMap<HaltReason, Long> haltedBy = new EnumMap<>(HaltReason.class);
    private final StepsHistogram steps = new StepsHistogram();
    private final LatencyRecorder latency = new LatencyRecorder();
    private final LatencyRecorder roundTrip = new LatencyRecorder();
    private final LatencyRecorder computeSteps = new LatencyRecorder();
    private long samples;
    private long escalated;
    private long duplicates;
    private long ignored;
    private long known;
    private long exact;
    private long arcKnown;
    private long arcPassAt2;

    /** @param published request id -> what was published; empty to count every solution read */
    public SolutionTally(Map<String, PublishedRequest> published) {
        this.published = Map.copyOf(Objects.requireNonNull(published, "published"));
    }

    /**
     * @param roundTripMs milliseconds from send to receipt, when this process sent the request
     */
    public Outcome add(PuzzleSolution solution, OptionalLong roundTripMs) {
        String id = solution.getRequestId();
        PublishedRequest request = published.get(id);
        if (!published.isEmpty() && request == null) {
            ignored++;
            return Outcome.IGNORED;
        }
        if (!counted.add(id)) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        statuses.merge(solution.getStatus(), 1L, Long::sum);
        haltedBy.merge(solution.getHaltedBy(), 1L, Long::sum);
        if (solution.getStatus() != SolveStatus.REJECTED) {
            steps.record(solution.getSteps());
            computeSteps.record(solution.getComputeSteps());
            samples += solution.getSamples();
            escalated += solution.getSamples() > 1 ? 1 : 0;
        }
        if (solution.getLatencyMs() != null) {
            latency.record(solution.getLatencyMs());
        }
        roundTripMs.ifPresent(roundTrip::record);
        if (request != null && request.answer() != null) {
            known++;
            if (request.answer().matches(solution.getSolution())) {
                exact++;
            }
            if (request.task().equals(ARC)) {
                arcKnown++;
                if (request.answer().matches(solution.getSolution())
                        || request.answer().matches(solution.getSecondSolution())) {
                    arcPassAt2++;
                }
            }
        }
        return Outcome.COUNTED;
    }

    /** Distinct solutions counted so far. */
    public long received() {
        return counted.size();
    }

    /** True once every published request has its solution (never when nothing was published). */
    public boolean complete() {
        return !published.isEmpty() && counted.size() == published.size();
    }

    /** @param elapsed the run's duration for the throughput line, or null to leave throughput out */
    public SolveReport report(Duration elapsed) {
        long expected = published.size();
        Map<String, Long> statusCounts = new LinkedHashMap<>();
        for (SolveStatus status : SolveStatus.values()) {
            statusCounts.put(status.name(), statuses.getOrDefault(status, 0L));
        }
        Map<String, Long> haltCounts = new LinkedHashMap<>();
        for (HaltReason reason : HaltReason.values()) {
            haltCounts.put(reason.name(), haltedBy.getOrDefault(reason, 0L));
        }
        SolveReport.Accuracy accuracy = known == 0 ? null
                : new SolveReport.Accuracy(known, exact, (double) exact / known);
        SolveReport.Throughput throughput = null;
        if (elapsed != null) {
            long elapsedMs = Math.max(1L, elapsed.toMillis());
            throughput = new SolveReport.Throughput(elapsedMs, received() * 1000.0 / elapsedMs);
        }
        return new SolveReport(
                expected,
                received(),
                Math.max(0L, expected - received()),
                duplicates,
                ignored,
                statusCounts,
                haltCounts,
                steps.counts(),
                steps.mean(),
                latency.summary(),
                roundTrip.count() == 0 ? null : roundTrip.summary(),
                accuracy,
                throughput,
                computeSteps.count() == 0 ? null : new SolveReport.Compute(escalated,
                        (double) samples / computeSteps.count(), computeSteps.summary()),
                arcKnown == 0 ? null : new SolveReport.Accuracy(arcKnown, arcPassAt2, (double) arcPassAt2 / arcKnown));
    }
}
