package io.hrmstream.worker.stream;

import org.apache.kafka.common.errors.ApiException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * What becomes of a stream thread that died: replaced by a new one (which takes its tasks from their last committed
 * offsets, aborting whatever transaction the dead one left open, so nothing is lost or written twice), or the worker
 * shut down.
 *
 * <ul>
 *   <li>An unreachable schema registry ({@link RegistryOutage}) is an outage, not a fault: always replaced.</li>
 *   <li>An error the brokers returned ({@link ApiException} among the causes, e.g. the
 *       {@code InvalidTxnStateException} a transaction can meet when its partition leader is SIGKILLed, or a
 *       timeout while a broker is down) is replaced, at most {@link #MAX_BROKER_REPLACEMENTS} times within
 *       {@link #BROKER_REPLACEMENT_WINDOW}: a broker failover costs a thread or two, while an error that comes back
 *       at once with every new thread (a deleted topic, revoked ACLs) is not a passing one and shuts the worker
 *       down rather than replacing threads forever.</li>
 *   <li>Anything else (a fault in the worker's own code) shuts the worker down.</li>
 * </ul>
 * Thread safe: stream threads may fail at once.
 */
final class StreamThreadFailurePolicy {

    /** Broker-error replacements allowed within {@link #BROKER_REPLACEMENT_WINDOW}; the next one shuts down. */
    static final int MAX_BROKER_REPLACEMENTS = 5;
    static final Duration BROKER_REPLACEMENT_WINDOW = Duration.ofMinutes(10);

    /** The verdict on one failed thread. */
    enum Verdict {
        /** The schema registry is unreachable: a new thread waits on. */
        REPLACE_REGISTRY_OUTAGE,
        /** A broker returned an error: a new thread with a new producer. */
        REPLACE_BROKER_ERROR,
        /** Not a passing condition: the worker shuts down and leaves the group. */
        SHUT_DOWN
    }

    private final LongSupplier nanoClock;
    /** When each broker-error replacement within the window happened ({@link #nanoClock} readings). */
    private final Deque<Long> brokerReplacements = new ArrayDeque<>();

    StreamThreadFailurePolicy() {
        this(System::nanoTime);
    }

    StreamThreadFailurePolicy(final LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    synchronized Verdict onFailure(final Throwable failure) {
        if (causedBy(failure, RegistryOutage.RegistryUnavailableException.class)) {
            return Verdict.REPLACE_REGISTRY_OUTAGE;
        }
        if (!causedBy(failure, ApiException.class)) {
            return Verdict.SHUT_DOWN;
        }
        final long now = nanoClock.getAsLong();
        while (!brokerReplacements.isEmpty()
                && now - brokerReplacements.peekFirst() >= BROKER_REPLACEMENT_WINDOW.toNanos()) {
            brokerReplacements.removeFirst();
        }
        if (brokerReplacements.size() >= MAX_BROKER_REPLACEMENTS) {
            return Verdict.SHUT_DOWN;
        }
        brokerReplacements.addLast(now);
        return Verdict.REPLACE_BROKER_ERROR;
    }

    private static boolean causedBy(final Throwable error, final Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }
}
