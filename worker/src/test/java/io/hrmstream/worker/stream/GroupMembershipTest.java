package io.hrmstream.worker.stream;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.embedded.EmbeddedStack;
import io.hrmstream.worker.embedded.EmbeddedStackConfig;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.ModelDescriptor;
import io.hrmstream.worker.engine.SolveFuture;
import io.hrmstream.worker.engine.SolveRequest;
import io.hrmstream.worker.engine.SolverEngine;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.hrmstream.worker.stream.EndToEndScenario.TIMEOUT;
import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU_MODEL;
import static io.hrmstream.worker.stream.TopologyFixture.sudoku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a stopping worker leaves behind in its consumer group. The session timeout is Kafka's default (45 s), so a
 * member that did not leave is still listed when each assertion runs, seconds after the close.
 */
@Tag("slow")   // starts brokers or child JVMs: the slow lane
class GroupMembershipTest {

    /** Much less than the 45 s session timeout: a member gone by then has left, not timed out. */
    private static final Duration LEAVE_WITHIN = Duration.ofSeconds(10);

    @TempDir
    static Path dataDir;

    private static EmbeddedStack stack;
    private static Admin admin;

    @BeforeAll
    static void startStack() {
        stack = EmbeddedStack.start(EmbeddedStackConfig.ephemeral(dataDir.resolve("kafka")).withPartitions(2));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    @AfterAll
    static void stopStack() {
        admin.close();
        stack.close();
    }

    @Test
    void aWorkerClosedForGoodLeavesTheGroup() throws Exception {
        final WorkerConfig config = config(Map.of());
        try (StreamsWorker worker = running(config)) {
            assertEquals(1, members(config).size());
            assertTrue(worker.close(TIMEOUT, false));
        }
        assertTrue(groupEmptyWithin(config, LEAVE_WITHIN), "members left: " + members(config));
    }

    @Test
    void aDynamicMemberLeavesEvenWhenItIsComingBack() throws Exception {
        final WorkerConfig config = config(Map.of());
        try (StreamsWorker worker = running(config)) {
            assertTrue(worker.close(TIMEOUT, true));
        }
        assertTrue(groupEmptyWithin(config, LEAVE_WITHIN), "members left: " + members(config));
    }

    @Test
    void aWorkerWhoseStreamThreadFailsShutsItselfDownAndLeavesTheGroup() throws Exception {
        final WorkerConfig config = config(Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2"));
        try (StreamsWorker worker = new StreamsWorker(config, EngineRoster.of(new FailingEngine()))) {
            worker.start();
            assertTrue(worker.awaitRunning(TIMEOUT));
            assertEquals(2, members(config).size(), "one member per stream thread");
            send(config, "fails-0");
            send(config, "fails-1");
            assertTrue(awaitState(worker, KafkaStreams.State.NOT_RUNNING, KafkaStreams.State.ERROR),
                    "the worker stopped itself: " + worker.state());
            assertTrue(groupEmptyWithin(config, LEAVE_WITHIN), "members left: " + members(config));
        }
    }

    @Test
    void aStaticMemberComingBackStaysInTheGroupAndRejoinsWithoutARebalance() throws Exception {
        final WorkerConfig config = config(Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "w1"));
        try (StreamsWorker worker = running(config)) {
            assertTrue(worker.close(TIMEOUT, true));
        }
        final List<MemberDescription> stayed = members(config);
        assertEquals(1, stayed.size());
        assertEquals(Optional.of("w1-1"), stayed.get(0).groupInstanceId(), "Streams' id for stream thread 1");

        final long restart = System.nanoTime();
        try (StreamsWorker worker = running(config)) {
            System.out.printf("static member back in RUNNING %d ms after its restart began%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restart));
            assertTrue(worker.close(TIMEOUT, false), "closed for good");
        }
        assertTrue(groupEmptyWithin(config, LEAVE_WITHIN), "members left: " + members(config));
    }

    private static WorkerConfig config(final Map<String, String> overrides) {
        final String appId = "group-test-" + UUID.randomUUID();
        return new WorkerConfig(stack.bootstrapServers(), stack.registryUrl(), appId, "worker-group-test",
                StreamsConfig.EXACTLY_ONCE_V2, dataDir.resolve(appId), WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK,
                WorkerConfig.DEFAULT_ENGINE_WAIT, WorkerConfig.DEFAULT_FORWARD_INTERVAL, overrides);
    }

    private static StreamsWorker running(final WorkerConfig config) throws InterruptedException {
        final StreamsWorker worker = new StreamsWorker(config, EngineRoster.none());
        worker.start();
        assertTrue(worker.awaitRunning(TIMEOUT), "RUNNING within " + TIMEOUT);
        return worker;
    }

    private static void send(final WorkerConfig config, final String id) {
        try (KafkaProducer<String, PuzzleRequest> producer =
                     KafkaClients.requestProducer(config.bootstrapServers(), config.schemaRegistryUrl())) {
            producer.send(new ProducerRecord<>(Topics.REQUESTS, id, sudoku(id).build()));
        }
    }

    private static List<MemberDescription> members(final WorkerConfig config) throws Exception {
        final Collection<MemberDescription> members = admin.describeConsumerGroups(List.of(config.applicationId()))
                .describedGroups().get(config.applicationId()).get().members();
        return List.copyOf(members);
    }

    private static boolean groupEmptyWithin(final WorkerConfig config, final Duration timeout) throws Exception {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!members(config).isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static boolean awaitState(final StreamsWorker worker, final KafkaStreams.State... terminal)
            throws InterruptedException {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (List.of(terminal).contains(worker.state())) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** An engine with a fault no request can cause: every submit throws an {@link Error}, which stops a thread. */
    private static final class FailingEngine implements SolverEngine {

        @Override
        public ModelDescriptor model() {
            return SUDOKU_MODEL;
        }

        @Override
        public SolveFuture submit(final SolveRequest request) {
            throw new AssertionError("engine fault for " + request.requestId());
        }

        @Override
        public int pending() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
