package io.hrmstream.tools.publish;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.tools.input.Puzzle;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Sends puzzles to {@code hrm.requests} at a paced rate: key = request id (UTF-8 string), value = the
 * {@link PuzzleRequest} through the registry serde. Each request is built only when its turn comes, so
 * {@code submittedAtMs} is the moment it leaves. The first failure stops further sends; everything already sent is
 * flushed, so the summary and the listener know the fate of every request.
 */
public final class RequestPublisher {

    /** Told about each request; {@link #acknowledged} and {@link #failed} run on the producer's I/O thread. */
    public interface Listener {

        /** Just before the request is handed to the producer. */
        default void sending(OutgoingRequest request) {
        }

        void acknowledged(OutgoingRequest request);

        void failed(OutgoingRequest request, Exception cause);
    }

    private final Producer<String, PuzzleRequest> producer;
    private final String topic;
    private final RequestFactory factory;
    private final RatePacer pacer;
    private final LongSupplier clockMs;

    public RequestPublisher(Producer<String, PuzzleRequest> producer, String topic, RequestFactory factory,
                            RatePacer pacer, LongSupplier clockMs) {
        this.producer = producer;
        this.topic = topic;
        this.factory = factory;
        this.pacer = pacer;
        this.clockMs = clockMs;
    }

    /**
     * Publishes until the puzzles run out, {@code limit} were sent, {@code stopRequested} says so, or a send fails.
     *
     * @param limit most requests to send; negative for no limit
     */
    public PublishSummary publish(Iterator<Puzzle> puzzles, long limit, BooleanSupplier stopRequested,
                                  Listener listener) throws InterruptedException {
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        long sent = 0;
        long startMs = clockMs.getAsLong();
        AtomicLong lastAckMs = new AtomicLong(startMs);
        while ((limit < 0 || sent < limit) && firstFailure.get() == null && !stopRequested.getAsBoolean()
                && puzzles.hasNext()) {
            Puzzle puzzle = puzzles.next();
            pacer.acquire();
            OutgoingRequest outgoing = factory.build(puzzle);
            PuzzleRequest request = outgoing.request();
            listener.sending(outgoing);
            try {
                producer.send(new ProducerRecord<>(topic, request.getId(), request), (metadata, exception) -> {
                    if (exception == null) {
                        acknowledged.incrementAndGet();
                        lastAckMs.accumulateAndGet(clockMs.getAsLong(), Math::max);
                        listener.acknowledged(outgoing);
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, exception);
                        listener.failed(outgoing, exception);
                    }
                });
            } catch (KafkaException e) {
                // raised before the record was queued (serialisation, registry, closed producer): it is not sent
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, e);
                listener.failed(outgoing, e);
                break;
            }
            sent++;
        }
        producer.flush();
        return new PublishSummary(sent, acknowledged.get(), failed.get(), firstFailure.get(),
                lastAckMs.get() - startMs);
    }
}
