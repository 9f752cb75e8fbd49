package io.hrmstream.worker.stream;

import io.hrmstream.schemas.DeadLetterHeaderNames;
import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.Topics;
import io.hrmstream.schemas.serde.ConfluentWireFormat;
import io.hrmstream.worker.engine.EngineRoster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU_MODEL;
import static io.hrmstream.worker.stream.TopologyFixture.sudoku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A schema registry outage is waited out, not turned into a dead letter or a crash: a record whose writer schema the
 * worker has not cached waits on the stream thread until the registry answers, then is processed as usual.
 */
class RegistryOutageTest {

    @RegisterExtension
    static final TestRegistry registry = new TestRegistry();

    @TempDir
    Path stateDir;

    @Test
    void aRequestArrivingWhileTheRegistryIsDownIsProcessedOnceItIsBackAndNeverDeadLettered() throws Exception {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            final byte[] value = worker.requestSerde.serializer().serialize(Topics.REQUESTS, sudoku("r1").build());
            registry.stop();
            final CompletableFuture<Void> back = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(1_500);   // the outage: the stream thread must still be waiting when it ends
                    registry.restart();
                } catch (final Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            final long start = System.nanoTime();
            worker.requests.pipeInput("r1".getBytes(), value);   // blocks in process() until the registry answers
            final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            back.get(10, TimeUnit.SECONDS);

            assertTrue(waitedMs >= 1_000, "process() waited for the registry: " + waitedMs + " ms");
            assertTrue(worker.deadLetters.isEmpty(), "an outage is not a bad record");
            assertEquals("r1", engine.submitted().get(0).requestId(), "the request was decoded and submitted");
            assertEquals(1, worker.inFlightCount());
        }
    }

    /**
     * Found by the fault suite: the worker's first solution needs the registry too (the sink's serializer registers
     * the solution schema once), and a registry down at that moment stopped the worker.
     */
    @Test
    void theFirstSolutionWrittenWhileTheRegistryIsDownWaitsForItAndIsWrittenOnce() throws Exception {
        final ScriptedEngine engine = ScriptedEngine.holding(SUDOKU_MODEL);
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            worker.publish(sudoku("r1").setSamples(1).build());   // decoded now: the request schema is cached
            registry.stop();
            engine.complete(TopologyFixture.result("r1", TopologyFixture.grid(9, 9, TopologyFixture.SOLUTION), 2,
                    HaltReason.Q_HALT));
            final CompletableFuture<Void> back = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(1_500);
                    registry.restart();
                } catch (final Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            final long start = System.nanoTime();
            worker.advance(TopologyFixture.FORWARD_INTERVAL);   // the punctuation forwards the answer, and waits
            final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            back.get(10, TimeUnit.SECONDS);

            assertTrue(waitedMs >= 1_000, "forwarding waited for the registry: " + waitedMs + " ms");
            assertEquals("r1", worker.solutions.readValue().getRequestId());
            assertTrue(worker.solutions.isEmpty(), "written once");
            assertEquals(0, worker.inFlightCount(), "and its flight ended with it");
        }
    }

    @Test
    void anUnknownSchemaIdSeenDuringTheOutageIsDeadLetteredOnlyOnceTheRegistrySaysItDoesNotExist() throws Exception {
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir,
                EngineRoster.of(ScriptedEngine.holding(SUDOKU_MODEL)))) {
            registry.stop();
            final CompletableFuture<Void> back = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(500);
                    registry.restart();
                } catch (final Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            worker.requests.pipeInput("junk".getBytes(), new ConfluentWireFormat(99_999, new byte[] {1, 2}).encode());
            back.get(10, TimeUnit.SECONDS);
            final String reason = new String(worker.deadLetters.readRecord().headers()
                    .lastHeader(DeadLetterHeaderNames.ERROR).value());
            assertTrue(reason.contains("unknown schema id 99999"), reason);
        }
    }

    @Test
    void theObserverHearsWhenAThreadStartsAndStopsWaiting() throws Exception {
        final AtomicInteger waiting = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        final RegistryOutage outage = new RegistryOutage(new SolveObserver() {
            @Override
            public void onRegistryUnavailable(final boolean isWaiting) {
                waiting.addAndGet(isWaiting ? 1 : -1);
                if (isWaiting) started.countDown();
            }
        }, java.time.Duration.ofSeconds(30));
        final AtomicInteger calls = new AtomicInteger();
        final String answer = outage.await(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new io.hrmstream.schemas.registry.SchemaRegistryException(-1, 0, "connection refused", "test", null);
            }
            return "decoded";
        }, "a test record");
        assertEquals("decoded", answer);
        assertEquals(0, started.getCount());
        assertEquals(0, waiting.get(), "waiting again false once the call went through");
        assertEquals(3, calls.get());
    }

    @Test
    void aRegistryDownLongerThanTheBoundEndsTheThreadsWaitWithAnExceptionTheWorkerReplacesTheThreadOn() {
        final RegistryOutage outage = new RegistryOutage(SolveObserver.NONE, java.time.Duration.ofMillis(300));
        final RegistryOutage.RegistryUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(
                RegistryOutage.RegistryUnavailableException.class, () -> outage.await(() -> {
                    throw new io.hrmstream.schemas.registry.SchemaRegistryException(503, 0, "unavailable", "t", null);
                }, "a test record"));
        assertTrue(e.getMessage().contains("the record is kept and retried"), e.getMessage());
    }
}
