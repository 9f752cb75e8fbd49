package io.hrmstream.tools.publish;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.tools.input.CellGrid;
import io.hrmstream.tools.input.Puzzle;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestPublisherTest {

    /** Values are not inspected here; the serde has its own tests. */
    private static final Serializer<PuzzleRequest> NO_BYTES = (topic, request) -> new byte[0];

    private static class Recorder implements RequestPublisher.Listener {
        final List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        final List<String> failed = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void acknowledged(OutgoingRequest request) {
            acknowledged.add(request.kept().id());
        }

        @Override
        public void failed(OutgoingRequest request, Exception cause) {
            failed.add(request.kept().id());
        }
    }

    private static List<Puzzle> puzzles(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> new Puzzle("sudoku", new CellGrid(1, 1, new byte[] {0}), null, 0, "f:" + i))
                .toList();
    }

    private static RequestPublisher publisher(MockProducer<String, PuzzleRequest> producer) {
        RequestFactory factory = new RequestFactory(RequestIds.numbered("t"), null, null, Map.of(), () -> 0L);
        return new RequestPublisher(producer, "hrm.requests", factory, RatePacer.of(SendRate.UNLIMITED), () -> 0L);
    }

    @Test
    void eachRequestIsKeyedByItsIdOnTheRequestsTopicAndAcknowledged() throws InterruptedException {
        MockProducer<String, PuzzleRequest> producer = new MockProducer<>(true, null, new StringSerializer(), NO_BYTES);
        Recorder listener = new Recorder();

        PublishSummary summary = publisher(producer).publish(puzzles(5).iterator(), -1, () -> false, listener);

        assertTrue(summary.succeeded());
        assertEquals(5, summary.acknowledged());
        List<ProducerRecord<String, PuzzleRequest>> sent = producer.history();
        assertEquals(List.of("t-0", "t-1", "t-2", "t-3", "t-4"), sent.stream().map(ProducerRecord::key).toList());
        sent.forEach(record -> {
            assertEquals("hrm.requests", record.topic());
            assertEquals(record.key(), record.value().getId());
        });
        assertEquals(List.of("t-0", "t-1", "t-2", "t-3", "t-4"), listener.acknowledged);
    }

    @Test
    void theLimitStopsSendingAfterThatManyRequests() throws InterruptedException {
        MockProducer<String, PuzzleRequest> producer = new MockProducer<>(true, null, new StringSerializer(), NO_BYTES);
        PublishSummary summary = publisher(producer).publish(puzzles(10).iterator(), 3, () -> false, new Recorder());
        assertEquals(3, summary.sent());
        assertEquals(3, producer.history().size());
    }

    @Test
    void aStopRequestEndsTheRunBeforeTheNextSend() throws InterruptedException {
        MockProducer<String, PuzzleRequest> producer = new MockProducer<>(true, null, new StringSerializer(), NO_BYTES);
        Recorder listener = new Recorder();
        PublishSummary summary = publisher(producer).publish(puzzles(10).iterator(), -1,
                () -> listener.acknowledged.size() >= 4, listener);
        assertEquals(4, summary.sent());
        assertTrue(summary.succeeded());
    }

    @Test
    void aFailedDeliveryIsReportedAndStopsFurtherSendsWhileRequestsInFlightStillComplete()
            throws InterruptedException {
        MockProducer<String, PuzzleRequest> producer =
                new MockProducer<>(false, null, new StringSerializer(), NO_BYTES);
        TimeoutException brokerDown = new TimeoutException("broker down");
        Recorder listener = new Recorder() {
            @Override
            public void sending(OutgoingRequest request) {
                // the broker answers while the next request is being sent: t-0 succeeds, t-1 fails
                switch (request.kept().id()) {
                    case "t-1" -> producer.completeNext();
                    case "t-2" -> producer.errorNext(brokerDown);
                    default -> { }
                }
            }
        };

        PublishSummary summary = publisher(producer).publish(puzzles(10).iterator(), -1, () -> false, listener);

        assertFalse(summary.succeeded());
        assertSame(brokerDown, summary.firstFailure());
        assertEquals(3, summary.sent(), "nothing is sent after the failure is known");
        assertEquals(List.of("t-1"), listener.failed);
        assertEquals(List.of("t-0", "t-2"), listener.acknowledged, "t-2 was in flight and is flushed");
    }

    @Test
    void aSerializerErrorIsAFailureOfThatRequestAndEndsTheRun() throws InterruptedException {
        Serializer<PuzzleRequest> registryDown = (topic, request) -> {
            throw new SerializationException("registry at http://127.0.0.1:8081 unreachable");
        };
        MockProducer<String, PuzzleRequest> producer =
                new MockProducer<>(true, null, new StringSerializer(), registryDown);
        Recorder listener = new Recorder();
        PublishSummary summary = publisher(producer).publish(puzzles(3).iterator(), -1, () -> false, listener);
        assertFalse(summary.succeeded());
        assertEquals(0, summary.sent());
        assertEquals(1, summary.failed());
        assertTrue(summary.firstFailure().getMessage().contains("unreachable"));
        assertEquals(List.of("t-0"), listener.failed);
    }
}
