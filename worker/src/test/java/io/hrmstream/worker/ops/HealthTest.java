package io.hrmstream.worker.ops;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness follows Streams and the schema registry; liveness only Streams. */
class HealthTest {

    @Test
    void aWorkerWaitingOutARegistryOutageIsLiveButNotReady() {
        final AtomicBoolean waiting = new AtomicBoolean();
        final Health health = new Health(() -> KafkaStreams.State.RUNNING, "hrm-sudoku", waiting::get);
        assertTrue(health.ready().up());

        waiting.set(true);
        assertFalse(health.ready().up(), "not ready while a stream thread waits for the registry");
        assertTrue(health.live().up(), "an outage is waited out, not a reason to restart the process");

        waiting.set(false);
        assertTrue(health.ready().up());
    }
}
