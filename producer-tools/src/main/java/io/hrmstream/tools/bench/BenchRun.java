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
import io.hrmstream.tools.report.SolutionTally;
import io.hrmstream.tools.report.SolveReport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
     * @param attributes         passed through to every solution
     * @param timeoutAfterSends  how long to wait for solutions once the last request is sent
     */
    public record Settings(String idPrefix, SendRate rate, Integer maxSteps, Map<String, String> attributes,
                           Duration timeoutAfterSends) {
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
        Map<String, PublishedRequest> published = new LinkedHashMap<>();
        for (int i = 0; i < puzzles.size(); i++) {
            String id = settings.idPrefix() + "-" + i;
            published.put(id, new PublishedRequest(id, puzzles.get(i).task(), puzzles.get(i).answer()));
        }
        SolutionTally tally = new SolutionTally(published);
        Map<String, Long> sentAtMs = new ConcurrentHashMap<>();
        AtomicLong firstSendMs = new AtomicLong(-1);
        AtomicLong lastSolutionMs = new AtomicLong(-1);
        AtomicLong deadlineMs = new AtomicLong(Long.MAX_VALUE);
        AtomicLong undecodable = new AtomicLong();
        AtomicReference<RuntimeException> readerFailure = new AtomicReference<>();
        CountDownLatch positioned = new CountDownLatch(1);

        SolutionReader reader = new SolutionReader(consumer, values, solutionsTopic, clockMs);
        Thread collector = new Thread(() -> {
            try {
                reader.start(SolutionReader.StartAt.LATEST);
                positioned.countDown();
                reader.readUntil(() -> tally.complete() || stop.getAsBoolean(), deadlineMs::get,
                        new SolutionReader.Sink() {
                            @Override
                            public void solution(PuzzleSolution solution, ConsumerRecord<String, byte[]> record) {
                                long now = clockMs.getAsLong();
                                Long sent = sentAtMs.get(solution.getRequestId());
                                OptionalLong roundTrip = sent == null ? OptionalLong.empty()
                                        : OptionalLong.of(now - sent);
                                if (tally.add(solution, roundTrip) == SolutionTally.Outcome.COUNTED) {
                                    lastSolutionMs.set(now);
                                    solved.run();
                                }
                            }

                            @Override
                            public void undecodable(ConsumerRecord<String, byte[]> record, RuntimeException cause) {
                                undecodable.incrementAndGet();
                            }
                        });
            } catch (RuntimeException e) {
                readerFailure.set(e);
            } finally {
                positioned.countDown();
            }
        }, "hrm-tools-bench-reader");
        collector.start();
        positioned.await();
        if (readerFailure.get() != null) {
            collector.join();
            throw readerFailure.get();
        }

        RequestFactory factory = new RequestFactory(RequestIds.numbered(settings.idPrefix()), settings.maxSteps(),
                settings.attributes(), clockMs);
        RequestPublisher publisher = new RequestPublisher(producer, requestsTopic, factory,
                RatePacer.of(settings.rate()), clockMs);
        PublishSummary summary;
        try {
            summary = publisher.publish(puzzles.iterator(), -1, stop, new RequestPublisher.Listener() {
                @Override
                public void sending(OutgoingRequest request) {
                    long now = clockMs.getAsLong();
                    firstSendMs.compareAndSet(-1, now);
                    sentAtMs.put(request.kept().id(), now);
                }

                @Override
                public void acknowledged(OutgoingRequest request) {
                }

                @Override
                public void failed(OutgoingRequest request, Exception cause) {
                }
            });
        } finally {
            // from here the reader waits at most the timeout; after a failed publish, not at all
            deadlineMs.set(clockMs.getAsLong() + settings.timeoutAfterSends().toMillis());
        }
        if (!summary.succeeded()) {
            deadlineMs.set(clockMs.getAsLong());
        }
        collector.join();
        if (readerFailure.get() != null) {
            throw readerFailure.get();
        }
        Duration elapsed = firstSendMs.get() < 0 || lastSolutionMs.get() < 0 ? null
                : Duration.ofMillis(lastSolutionMs.get() - firstSendMs.get());
        return new Result(tally.report(elapsed), summary, undecodable.get());
    }
}
