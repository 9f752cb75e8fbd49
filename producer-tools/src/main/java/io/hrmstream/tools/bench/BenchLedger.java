package io.hrmstream.tools.bench;

import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.tools.answers.PublishedRequest;
import io.hrmstream.tools.report.SolutionTally;
import io.hrmstream.tools.report.SolveReport;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What one bench run has seen: when each request was sent (publishing thread), which solutions arrived and when
 * (reader thread), and how many records could not be decoded. Throughput runs from the first send to the last
 * counted solution; each round trip from a request's send to its solution's receipt.
 */
final class BenchLedger {

    private final SolutionTally tally;
    private final LongSupplier clockMs;
    // written by the publishing thread, read by the reader thread
    private final Map<String, Long> sentAtMs = new ConcurrentHashMap<>();
    private final AtomicLong firstSendMs = new AtomicLong(-1);
    // written by the reader thread, read once it has finished
    private final AtomicLong lastSolutionMs = new AtomicLong(-1);
    private final AtomicLong undecodable = new AtomicLong();

    BenchLedger(Map<String, PublishedRequest> published, LongSupplier clockMs) {
        this.tally = new SolutionTally(published);
        this.clockMs = clockMs;
    }

    /** The request is about to be handed to the producer. */
    void sending(String requestId) {
        long now = clockMs.getAsLong();
        firstSendMs.compareAndSet(-1, now);
        sentAtMs.put(requestId, now);
    }

    /** A solution arrived; true when it counts (one of this run's requests, not seen before). */
    boolean solution(PuzzleSolution solution) {
        long now = clockMs.getAsLong();
        Long sent = sentAtMs.get(solution.getRequestId());
        OptionalLong roundTrip = sent == null ? OptionalLong.empty() : OptionalLong.of(now - sent);
        if (tally.add(solution, roundTrip) == SolutionTally.Outcome.COUNTED) {
            lastSolutionMs.set(now);
            return true;
        }
        return false;
    }

    /** A solutions record that could not be decoded. */
    void undecodable() {
        undecodable.incrementAndGet();
    }

    /** Every request has its solution. */
    boolean complete() {
        return tally.complete();
    }

    /** The report of what arrived; the elapsed time is null when nothing was sent or nothing counted. */
    SolveReport report() {
        Duration elapsed = firstSendMs.get() < 0 || lastSolutionMs.get() < 0 ? null
                : Duration.ofMillis(lastSolutionMs.get() - firstSendMs.get());
        return tally.report(elapsed);
    }

    long undecodableCount() {
        return undecodable.get();
    }
}
