package io.hrmstream.worker.faults;

import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.worker.stream.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * What a client of the worker sees: every solution of {@code hrm.solutions} (read_committed, so only committed
 * transactions) counted by request id with its status, and every dead letter of {@code hrm.requests.dlq} by the key
 * it came with. Reads from the start of both topics on threads of its own until closed.
 */
final class SolutionLedger implements AutoCloseable {

    private final Map<String, Integer> answers = new ConcurrentHashMap<>();
    private final Map<String, SolveStatus> statuses = new ConcurrentHashMap<>();
    private final List<String> deadLetterKeys = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread solutions;
    private final Thread deadLetters;

    SolutionLedger(final String bootstrap, final String registryUrl) {
        solutions = new Thread(() -> {
            try (KafkaConsumer<String, PuzzleSolution> consumer = KafkaClients.solutionConsumer(bootstrap, registryUrl)) {
                while (!closed.get()) {
                    try {
                        for (final ConsumerRecord<String, PuzzleSolution> r : consumer.poll(Duration.ofMillis(100))) {
                            answers.merge(r.value().getRequestId(), 1, Integer::sum);
                            statuses.put(r.value().getRequestId(), r.value().getStatus());
                        }
                    } catch (final RecordDeserializationException registryDown) {
                        // a schema id this reader has not cached while the registry is down: the position stays
                        // on that record, so the next poll reads it again, as a client riding out the outage would
                        pause();
                    }
                }
            }
        }, "ledger-solutions");
        deadLetters = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.deadLetterConsumer(bootstrap)) {
                while (!closed.get()) {
                    for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        deadLetterKeys.add(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8));
                    }
                }
            }
        }, "ledger-dead-letters");
        solutions.start();
        deadLetters.start();
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many solutions carry {@code requestId}. */
    int answers(final String requestId) {
        return answers.getOrDefault(requestId, 0);
    }

    /** Of {@code ids}: answered exactly once. */
    long answeredOnce(final Collection<String> ids) {
        return ids.stream().filter(id -> answers(id) == 1).count();
    }

    /** Of {@code ids}: answered more than once. */
    long duplicated(final Collection<String> ids) {
        return ids.stream().filter(id -> answers(id) > 1).count();
    }

    /** Of {@code ids}: not answered (yet). */
    long unanswered(final Collection<String> ids) {
        return ids.stream().filter(id -> answers(id) == 0).count();
    }

    /** Solutions, counted with their repeats, whose request id matches. */
    long solutionsWhere(final Predicate<String> requestId) {
        return answers.entrySet().stream().filter(e -> requestId.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    /** Answered request ids matching {@code requestId} whose answer is REJECTED. */
    long rejectedWhere(final Predicate<String> requestId) {
        return statuses.entrySet().stream()
                .filter(e -> requestId.test(e.getKey()) && e.getValue() == SolveStatus.REJECTED).count();
    }

    /** Dead letters whose key starts with {@code prefix}. */
    long deadLetters(final String prefix) {
        return deadLetterKeys.stream().filter(key -> key.startsWith(prefix)).count();
    }

    /** Polls {@code done} until it holds or the timeout passes; whether it held. */
    static boolean await(final BooleanSupplier done, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return done.getAsBoolean();
    }

    @Override
    public void close() throws InterruptedException {
        closed.set(true);
        solutions.join();
        deadLetters.join();
    }
}
