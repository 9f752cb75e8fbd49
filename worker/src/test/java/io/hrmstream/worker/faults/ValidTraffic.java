package io.hrmstream.worker.faults;

import io.hrmstream.puzzles.data.SudokuGenerator;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.stream.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Valid requests as a client sends them (the registry serde, acks=all, keyed by id): sudokus of the shipped model's
 * domain, so each is answered in a few ACT steps. A request counts as sent once the broker acknowledged it; a send
 * that fails (a broker lost mid-send, past the producer's retries) is counted apart, as the client would retry it.
 */
final class ValidTraffic implements AutoCloseable {

    /** Puzzles drawn once and reused: the generator's uniqueness check costs more than the sends. */
    private static final List<Grid> PUZZLES = new ArrayList<>();

    static {
        final SudokuGenerator easy = new SudokuGenerator(66, 78, 20261203L);
        for (int i = 0; i < 64; i++) {
            PUZZLES.add(easy.next().puzzleGrid());
        }
    }

    private final KafkaProducer<String, PuzzleRequest> producer;
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private Thread steady;

    ValidTraffic(final String bootstrap, final String registryUrl) {
        producer = KafkaClients.requestProducer(bootstrap, registryUrl);
    }

    /** A valid request with {@code id}, submitted now. */
    static PuzzleRequest request(final String id, final int n) {
        return requestBuilder(id, n).build();
    }

    /** A valid request with {@code id}, submitted now, to change before it is built. */
    static PuzzleRequest.Builder requestBuilder(final String id, final int n) {
        final Grid puzzle = PUZZLES.get(n % PUZZLES.size());
        final byte[] cells = new byte[puzzle.getCells().remaining()];
        puzzle.getCells().duplicate().get(cells);   // a grid of its own: a record's ByteBuffer is read when it is sent
        return PuzzleRequest.newBuilder().setId(id).setTask("sudoku")
                .setGrid(new Grid(puzzle.getRows(), puzzle.getCols(), ByteBuffer.wrap(cells)))
                .setSubmittedAtMs(Instant.now()).setAttributes(Map.of());
    }

    /** Sends one request {@code prefix-n} (n counting up) without waiting for it. */
    void send(final String prefix) {
        final int n = next.getAndIncrement();
        final String id = prefix + "-" + n;
        producer.send(new ProducerRecord<>(Topics.REQUESTS, id, request(id, n)), (metadata, error) -> {
            if (error == null) {
                sent.add(id);
            } else {
                failed.incrementAndGet();
            }
        });
    }

    /** Sends {@code prefix-n} at {@code perSecond} on a thread of its own until {@link #stop()}. */
    void startSteady(final String prefix, final int perSecond) {
        stopped.set(false);
        steady = new Thread(() -> {
            final long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
            long due = System.nanoTime();
            while (!stopped.get()) {
                send(prefix);
                due += interval;
                final long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (final InterruptedException e) {
                        return;
                    }
                }
            }
        }, "valid-traffic-" + prefix);
        steady.start();
    }

    /** Stops the steady sender and waits until every send so far is acknowledged or failed. */
    void stop() throws InterruptedException {
        stopped.set(true);
        if (steady != null) {
            steady.join();
            steady = null;
        }
        producer.flush();
    }

    /** The ids the broker acknowledged, so far. */
    Set<String> sent() {
        return Set.copyOf(sent);
    }

    int failedSends() {
        return failed.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        producer.close();
    }
}
