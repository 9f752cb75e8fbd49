package io.hrmstream.worker.stream;

import io.hrmstream.worker.stream.StreamThreadFailurePolicy.Verdict;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamThreadFailurePolicyTest {

    private final AtomicLong clock = new AtomicLong();
    private final StreamThreadFailurePolicy policy = new StreamThreadFailurePolicy(clock::get);

    /** As Kafka Streams hands a commit's failure to the uncaught-exception handler. */
    private static Throwable streamsFailure(final Throwable cause) {
        return new StreamsException("task [0_0] Failed to commit", cause);
    }

    @Test
    void aTransactionBrokenByABrokerFailoverReplacesTheThread() {
        assertEquals(Verdict.REPLACE_BROKER_ERROR, policy.onFailure(streamsFailure(new InvalidTxnStateException(
                "The producer attempted a transactional operation in an invalid state."))));
        assertEquals(Verdict.REPLACE_BROKER_ERROR, policy.onFailure(streamsFailure(new TimeoutException("metadata"))));
    }

    @Test
    void anUnreachableRegistryAlwaysReplacesTheThread() {
        for (int i = 0; i < 3 * StreamThreadFailurePolicy.MAX_BROKER_REPLACEMENTS; i++) {
            assertEquals(Verdict.REPLACE_REGISTRY_OUTAGE, policy.onFailure(
                    new RegistryOutage.RegistryUnavailableException("registry down 60 s", null)));
        }
    }

    @Test
    void aFaultOfTheWorkersOwnShutsItDown() {
        assertEquals(Verdict.SHUT_DOWN, policy.onFailure(streamsFailure(new IllegalStateException("a bug"))));
        assertEquals(Verdict.SHUT_DOWN, policy.onFailure(new OutOfMemoryError()));
    }

    @Test
    void aBrokerErrorThatKeepsComingBackShutsTheWorkerDown() {
        for (int i = 0; i < StreamThreadFailurePolicy.MAX_BROKER_REPLACEMENTS; i++) {
            assertEquals(Verdict.REPLACE_BROKER_ERROR,
                    policy.onFailure(streamsFailure(new TopicAuthorizationException(Set.of("hrm.solutions")))));
            clock.addAndGet(Duration.ofSeconds(1).toNanos());
        }
        assertEquals(Verdict.SHUT_DOWN,
                policy.onFailure(streamsFailure(new TopicAuthorizationException(Set.of("hrm.solutions")))));
    }

    @Test
    void replacementsOutsideTheWindowAreForgotten() {
        for (int i = 0; i < StreamThreadFailurePolicy.MAX_BROKER_REPLACEMENTS; i++) {
            assertEquals(Verdict.REPLACE_BROKER_ERROR, policy.onFailure(streamsFailure(new InvalidTxnStateException("x"))));
        }
        clock.addAndGet(StreamThreadFailurePolicy.BROKER_REPLACEMENT_WINDOW.toNanos());
        assertEquals(Verdict.REPLACE_BROKER_ERROR, policy.onFailure(streamsFailure(new InvalidTxnStateException("x"))));
    }
}
