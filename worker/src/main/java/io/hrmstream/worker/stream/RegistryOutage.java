package io.hrmstream.worker.stream;

import io.hrmstream.schemas.registry.SchemaRegistryException;
import org.apache.kafka.streams.errors.StreamsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits out a schema registry that does not answer. A record whose writer schema the worker has not cached cannot
 * be decoded while the registry is down, but that says nothing about the record: it is neither dead-lettered nor
 * skipped. The stream thread retries with backoff (100 ms doubling to 5 s), logging each failure and telling the
 * observer (a metric, {@code /health/ready} false), for at most {@link #MAX_BLOCK}; then it throws
 * {@link RegistryUnavailableException}, on which the worker replaces the stream thread (the task restarts from its
 * committed offset and meets the same record again), so the wait goes on without a crash and without exceeding
 * the consumer's {@code max.poll.interval.ms} (5 minutes by default).
 */
final class RegistryOutage {

    private static final Logger log = LoggerFactory.getLogger(RegistryOutage.class);

    /** The longest one stream thread blocks before it is replaced (well under max.poll.interval.ms). */
    static final Duration MAX_BLOCK = Duration.ofSeconds(60);
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    /** Thrown when the registry stayed unreachable for {@link #MAX_BLOCK}; the worker replaces the thread. */
    static final class RegistryUnavailableException extends StreamsException {
        RegistryUnavailableException(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    private final SolveObserver observer;
    private final Duration maxBlock;

    RegistryOutage(final SolveObserver observer, final Duration maxBlock) {
        this.observer = observer;
        this.maxBlock = maxBlock;
    }

    /**
     * {@code call}'s result, calling it again while the registry is unavailable (a {@link SchemaRegistryException}
     * saying so, thrown or among the causes); {@code what} ("decoding hrm.requests-0@12") names it in logs.
     */
    <T> T await(final Supplier<T> call, final String what) {
        final long start = System.nanoTime();
        long backoffMs = FIRST_BACKOFF_MS;
        boolean waited = false;
        try {
            while (true) {
                try {
                    return call.get();
                } catch (final RuntimeException failure) {
                    // thrown as it is (decoding) or inside a serializer's exception (writing a solution)
                    final SchemaRegistryException e = unavailableRegistry(failure);
                    if (e == null) throw failure;
                    final long waitedMs = (System.nanoTime() - start) / 1_000_000;
                    if (!waited) {
                        waited = true;
                        observer.onRegistryUnavailable(true);
                    }
                    if (waitedMs >= maxBlock.toMillis()) {
                        throw new RegistryUnavailableException("the schema registry did not answer for "
                                + waitedMs + " ms while " + what + "; the record is kept and retried", e);
                    }
                    log.warn("Schema registry unavailable while {} ({} ms so far, retrying in {} ms): {}",
                            what, waitedMs, backoffMs, e.getMessage());
                    sleep(backoffMs);
                    backoffMs = Math.min(2 * backoffMs, MAX_BACKOFF_MS);
                }
            }
        } finally {
            if (waited) observer.onRegistryUnavailable(false);
        }
    }

    /** The SchemaRegistryException saying the registry did not answer, in {@code failure}'s causes, or null. */
    private static SchemaRegistryException unavailableRegistry(final Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException e) {
                return e.isUnavailable() ? e : null;
            }
        }
        return null;
    }

    private static void sleep(final long ms) {
        try {
            Thread.sleep(ms);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamsException("interrupted while waiting for the schema registry", e);
        }
    }
}
