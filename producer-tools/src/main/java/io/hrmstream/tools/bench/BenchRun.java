package io.hrmstream.tools.bench;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.tools.answers.PublishedRequest;
import io.hrmstream.tools.collect.SolutionReader;
import io.hrmstream.tools.input.Puzzle;
import io.hrmstream.tools.publish.OutgoingRequest;
import io.hrmstream.tools.publish.PublishSummary;
import io.hrmstream.tools.publish.RatePacer;
import io.hrmstream.tools.publish.RequestFactory;
import io.hrmstream.tools.publish.RequestIds;
import io.hrmstream.tools.publish.RequestPublisher;
import io.hrmstream.tools.publish.SendRate;
import io.hrmstream.tools.report.SolveReport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * One bench run in one process: a reader thread positions itself at the end of {@code hrm.solutions}, then the
 * puzzles are published at the set rate with ids {@code prefix-0..n-1}, and the reader collects their solutions
 * until each has arrived or the timeout after the last send passes. Throughput is counted from the first send to the
 * last solution; the round trip of each request from its send to its receipt here (read_committed).
 */
public final class BenchRun {

    /**
     * @param idPrefix           request ids are {@code idPrefix-0 ... idPrefix-(n-1)}
     * @param rate               publish pace
     * @param maxSteps           cap on ACT steps, or null
     * @param samples            views the worker may race per request (guess scaling), or null for its default
     * @param attributes         passed through to every solution
     * @param timeoutAfterSends  how long to wait for solutions once the last request is sent
     */
    public record Settings(String idPrefix, SendRate rate, Integer maxSteps, Integer samples,
                           Map<String, String> attributes, Duration timeoutAfterSends) {
    }

    /** @param undecodable solution records that could not be decoded */
    public record Result(SolveReport report, PublishSummary publish, long undecodable) {
    }

    private final Producer<String, PuzzleRequest> producer;
    private final Consumer<String, byte[]> consumer;
    private final Deserializer<PuzzleSolution> values;
    private final String requestsTopic;
    private final String solutionsTopic;
    private final LongSupplier clockMs;

    public BenchRun(Producer<String, PuzzleRequest> producer, Consumer<String, byte[]> consumer,
                    Deserializer<PuzzleSolution> values, String requestsTopic, String solutionsTopic,
                    LongSupplier clockMs) {
        this.producer = producer;
        this.consumer = consumer;
        this.values = values;
        this.requestsTopic = requestsTopic;
        this.solutionsTopic = solutionsTopic;
        this.clockMs = clockMs;
    }

    /**
     * @param solved called on the reader thread for each solution counted (a progress bar)
     * @param stop   ends publishing and collecting early (Ctrl-C); the report covers what arrived
     */
    public Result run(List<Puzzle> puzzles, Settings settings, Runnable solved, BooleanSupplier stop)
            throws InterruptedException {
        BenchLedger ledger = new BenchLedger(published(puzzles, settings.idPrefix()), clockMs);
        SolutionCollector collector = new SolutionCollector(
                new SolutionReader(consumer, values, solutionsTopic, clockMs), ledger, solved, stop);
        collector.startAtEnd();
        PublishSummary summary = publish(puzzles, settings, stop, ledger, collector);
        collector.finish();
        return new Result(ledger.report(), summary, ledger.undecodableCount());
    }

    /** The requests this run will publish, by id, with the answers their solutions are checked against. */
    private static Map<String, PublishedRequest> published(List<Puzzle> puzzles, String idPrefix) {
        Map<String, PublishedRequest> published = new LinkedHashMap<>();
        for (int i = 0; i < puzzles.size(); i++) {
            String id = idPrefix + "-" + i;
            published.put(id, new PublishedRequest(id, puzzles.get(i).task(), puzzles.get(i).answer()));
        }
        return published;
    }

    /** Publishes the puzzles at the set pace, then gives the collector its deadline. */
    private PublishSummary publish(List<Puzzle> puzzles, Settings settings, BooleanSupplier stop, BenchLedger ledger,
                                   SolutionCollector collector) throws InterruptedException {
        RequestFactory factory = new RequestFactory(RequestIds.numbered(settings.idPrefix()), settings.maxSteps(),
                settings.samples(), settings.attributes(), clockMs);
        RequestPublisher publisher = new RequestPublisher(producer, requestsTopic, factory,
                RatePacer.of(settings.rate()), clockMs);
        PublishSummary summary;
        try {
            summary = publisher.publish(puzzles.iterator(), -1, stop, new SendTimes(ledger));
        } finally {
            // from here the reader waits at most the timeout; after a failed publish, not at all
            collector.deadline(clockMs.getAsLong() + settings.timeoutAfterSends().toMillis());
        }
        if (!summary.succeeded()) {
            collector.deadline(clockMs.getAsLong());
        }
        return summary;
    }

    /** Enters each request's send time in the ledger; acks and failures are counted by the publish summary. */
    private static final class SendTimes implements RequestPublisher.Listener {

        private final BenchLedger ledger;

        SendTimes(BenchLedger ledger) {
            this.ledger = ledger;
        }

        @Override
        public void sending(OutgoingRequest request) {
            ledger.sending(request.kept().id());
        }

        @Override
        public void acknowledged(OutgoingRequest request) {
        }

        @Override
        public void failed(OutgoingRequest request, Exception cause) {
        }
    }
}
