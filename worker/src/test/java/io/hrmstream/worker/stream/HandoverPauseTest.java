package io.hrmstream.worker.stream;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.embedded.EmbeddedStack;
import io.hrmstream.worker.embedded.EmbeddedStackConfig;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.ModelDescriptor;
import io.hrmstream.worker.engine.SolveFuture;
import io.hrmstream.worker.engine.SolveRequest;
import io.hrmstream.worker.engine.SolverEngine;
import io.hrmstream.worker.testing.WorkerCliProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.hrmstream.worker.stream.EndToEndScenario.TIMEOUT;
import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU_MODEL;
import static io.hrmstream.worker.stream.TopologyFixture.sudoku;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How long a partition goes unanswered when its worker stops: worker 1 (a child JVM running {@code hrm-worker run},
 * or in this JVM for the self-shutdown) and worker 2 (in this JVM) share the two partitions of a fresh embedded
 * cluster while a probe sends a request to each partition every 50 ms. Worker 1 is then stopped, and the pause is
 * the time from the stop until a solution written after worker 1 exited (or failed) is read on its partition. The
 * workers run without a model (REJECTED at once) or with an engine double, so the figures are the Kafka path's alone.
 *
 * <p>{@code -Dhrm.handover.sessionTimeoutMs} sets {@code session.timeout.ms} (default 10 s here, to keep the slow
 * lane short; Kafka's default is 45 s); every other setting is the worker's default, including Streams'
 * {@code transaction.timeout.ms} of 10 s, which a killed worker's open transaction waits out.
 */
@Tag("slow")   // starts brokers or child JVMs: the slow lane
class HandoverPauseTest {

    private static final int SESSION_TIMEOUT_MS = Integer.getInteger("hrm.handover.sessionTimeoutMs", 10_000);
    private static final long PROBE_INTERVAL_MS = 50;

    @TempDir
    Path dir;

    private enum Stop { SIGTERM, SIGKILL }

    @Test
    void theStoppedWorkersPartitionIsAnsweredAgainWithinTheExpectedPause() throws Exception {
        final Map<String, Long> pauses = new LinkedHashMap<>();
        final long session = SESSION_TIMEOUT_MS;
        // dynamic members: a close leaves at once; a kill waits out the session (and the open transaction)
        pauses.put("dynamic, SIGTERM", child("dyn-term", Stop.SIGTERM, List.of(), false));
        pauses.put("dynamic, SIGKILL", child("dyn-kill", Stop.SIGKILL, List.of(), false));
        pauses.put("dynamic, self-shutdown", selfShutdown("dyn-self", Map.of()));
        // static members: SIGTERM stays for a restart; --leave-on-shutdown and a self-shutdown leave
        pauses.put("static, SIGTERM, not restarted", child("st-term", Stop.SIGTERM, List.of("--static-membership"), false));
        pauses.put("static, SIGTERM, restarted at once", child("st-back", Stop.SIGTERM, List.of("--static-membership"), true));
        pauses.put("static, SIGTERM --leave-on-shutdown", child("st-leave", Stop.SIGTERM,
                List.of("--static-membership", "--leave-on-shutdown"), false));
        pauses.put("static, SIGKILL", child("st-kill", Stop.SIGKILL, List.of("--static-membership"), false));
        pauses.put("static, self-shutdown", selfShutdown("st-self", Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "w1")));

        System.out.printf("handover pauses (session.timeout.ms=%d):%n", session);
        pauses.forEach((scenario, ms) -> System.out.printf("  %-40s %,7d ms%n", scenario, ms));

        final long leaving = 5_000; // a leave is a rebalance and a task start, not a timeout
        for (final String scenario : List.of("dynamic, SIGTERM", "dynamic, self-shutdown",
                "static, SIGTERM --leave-on-shutdown", "static, self-shutdown")) {
            assertTrue(pauses.get(scenario) < Math.min(leaving, session), scenario + ": " + pauses.get(scenario) + " ms");
        }
        // back before its session ended, it answers its partition again itself (checked in child()): the pause
        // is its JVM start, not a timeout
        for (final String scenario : List.of("dynamic, SIGKILL", "static, SIGTERM, not restarted", "static, SIGKILL")) {
            assertTrue(pauses.get(scenario) >= session - 3_000, scenario + " waits the session out: "
                    + pauses.get(scenario) + " ms");   // less the heartbeat interval the kill fell into
        }
    }

    /** Worker 1 is {@code hrm-worker run} in a child JVM, stopped by {@code stop}, restarted at once if asked. */
    private long child(final String name, final Stop stop, final List<String> flags, final boolean restart)
            throws Exception {
        final Path scenarioDir = dir.resolve(name);
        final boolean staticMembers = flags.contains("--static-membership");
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStackConfig.ephemeral(scenarioDir.resolve("kafka"))
                .withPartitions(2));
             Probe probe = new Probe(stack)) {
            WorkerCliProcess w1 = startChild(stack, scenarioDir, flags);
            try {
                w1.awaitReady();
                try (StreamsWorker w2 = inProcess(stack, scenarioDir, "w2", staticMembers, EngineRoster.none())) {
                    final int partition = probe.partitionOf("w1");
                    final long stopNanos = System.nanoTime();
                    if (stop == Stop.SIGTERM) {
                        w1.terminate();
                    } else {
                        w1.kill();
                    }
                    // what worker 1 wrote while closing is not an answer after the stop
                    final long exitedMs = System.currentTimeMillis();
                    if (restart) {
                        w1 = w1.startAgain("w1-again");
                    }
                    final long pause = probe.pauseOn(partition, exitedMs, stopNanos);
                    if (restart) {
                        assertTrue(probe.answeredAfter(partition, exitedMs).equals(List.of("w1")),
                                "the restarted static member took its partition back without a rebalance: "
                                        + probe.answeredAfter(partition, exitedMs));
                    }
                    return pause;
                }
            } finally {
                w1.close();
            }
        }
    }

    /** Worker 1 runs in this JVM on an engine that starts failing: its stream thread dies, and the worker stops. */
    private long selfShutdown(final String name, final Map<String, String> w1Overrides) throws Exception {
        final Path scenarioDir = dir.resolve(name);
        final boolean staticMembers = !w1Overrides.isEmpty();
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStackConfig.ephemeral(scenarioDir.resolve("kafka"))
                .withPartitions(2));
             Probe probe = new Probe(stack)) {
            final FaultyEngine engine = new FaultyEngine();
            try (StreamsWorker w1 = new StreamsWorker(config(stack, scenarioDir, "w1", w1Overrides),
                    EngineRoster.of(engine))) {
                w1.start();
                assertTrue(w1.awaitRunning(TIMEOUT));
                try (StreamsWorker w2 = inProcess(stack, scenarioDir, "w2", staticMembers, EngineRoster.none())) {
                    final int partition = probe.partitionOf("w1");
                    final long stopMs = System.currentTimeMillis();
                    final long stopNanos = System.nanoTime();
                    engine.failing.set(true);
                    return probe.pauseOn(partition, stopMs, stopNanos);
                }
            }
        }
    }

    private WorkerCliProcess startChild(final EmbeddedStack stack, final Path scenarioDir, final List<String> flags) {
        final List<String> args = new ArrayList<>(List.of("run", "--no-model",
                "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl(),
                "--application-id", "handover", "--worker-id", "w1", "--metrics-port", "0",
                "--data-dir", scenarioDir.resolve("w1").toString(),
                "-p", ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG + "=" + SESSION_TIMEOUT_MS));
        args.addAll(flags);
        return WorkerCliProcess.start(scenarioDir, "w1", WorkerCliProcess.SMALL_JVM, args);
    }

    private static StreamsWorker inProcess(final EmbeddedStack stack, final Path scenarioDir, final String id,
                                           final boolean staticMember, final EngineRoster engine)
            throws InterruptedException {
        final StreamsWorker worker = new StreamsWorker(config(stack, scenarioDir, id,
                staticMember ? Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id) : Map.of()), engine);
        worker.start();
        assertTrue(worker.awaitRunning(TIMEOUT));
        return worker;
    }

    private static WorkerConfig config(final EmbeddedStack stack, final Path scenarioDir, final String id,
                                       final Map<String, String> overrides) {
        final Map<String, String> all = new HashMap<>(overrides);
        all.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(SESSION_TIMEOUT_MS));
        return new WorkerConfig(stack.bootstrapServers(), stack.registryUrl(), "handover", id,
                StreamsConfig.EXACTLY_ONCE_V2, scenarioDir.resolve(id), WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK,
                WorkerConfig.DEFAULT_ENGINE_WAIT, WorkerConfig.DEFAULT_FORWARD_INTERVAL, all);
    }

    /**
     * Sends "p{partition}-{n}" to each partition every 50 ms and reads the solutions (read_committed), keeping
     * each one's partition, worker and the time it was read.
     */
    private static final class Probe implements AutoCloseable {

        private record Answer(int partition, String workerId, long writtenMs, long readNanos) {
        }

        private final List<Answer> answers = new CopyOnWriteArrayList<>();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final Thread sending;
        private final Thread reading;

        Probe(final EmbeddedStack stack) {
            sending = new Thread(() -> {
                try (KafkaProducer<String, PuzzleRequest> producer =
                             KafkaClients.requestProducer(stack.bootstrapServers(), stack.registryUrl())) {
                    for (int n = 0; !stopped.get(); n++) {
                        for (int partition = 0; partition < 2; partition++) {
                            final String id = "p" + partition + "-" + n;
                            producer.send(new ProducerRecord<>(Topics.REQUESTS, partition, id, sudoku(id).build()));
                        }
                        Thread.sleep(PROBE_INTERVAL_MS);
                    }
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "probe-send");
            reading = new Thread(() -> {
                try (KafkaConsumer<String, PuzzleSolution> consumer =
                             KafkaClients.solutionConsumer(stack.bootstrapServers(), stack.registryUrl())) {
                    while (!stopped.get()) {
                        for (final ConsumerRecord<String, PuzzleSolution> r : consumer.poll(Duration.ofMillis(20))) {
                            final String id = r.value().getRequestId();
                            answers.add(new Answer(Character.digit(id.charAt(1), 10), r.value().getWorkerId(),
                                    r.timestamp(), System.nanoTime()));
                        }
                    }
                }
            }, "probe-read");
            sending.start();
            reading.start();
        }

        /** The partition {@code workerId} answers once both workers answer one each. */
        int partitionOf(final String workerId) throws InterruptedException {
            final long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                final long since = System.currentTimeMillis() - 1_000;
                final Map<Integer, String> owners = new HashMap<>();
                answers.stream().filter(a -> a.writtenMs() > since).forEach(a -> owners.put(a.partition(), a.workerId()));
                if (owners.size() == 2 && owners.values().stream().distinct().count() == 2) {
                    return owners.entrySet().stream().filter(e -> e.getValue().equals(workerId))
                            .findFirst().orElseThrow().getKey();
                }
                Thread.sleep(100);
            }
            throw new AssertionError("the two workers did not each answer a partition within " + TIMEOUT);
        }

        /** The workers that wrote solutions on {@code partition} after {@code sinceMs}. */
        List<String> answeredAfter(final int partition, final long sinceMs) {
            return answers.stream().filter(a -> a.partition() == partition && a.writtenMs() > sinceMs)
                    .map(Answer::workerId).distinct().toList();
        }

        /**
         * Milliseconds from the stop ({@code stopNanos}) until the first solution written after {@code sinceMs}
         * is read on {@code partition}.
         */
        long pauseOn(final int partition, final long sinceMs, final long stopNanos) throws InterruptedException {
            final long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                final Optional<Answer> first = answers.stream()
                        .filter(a -> a.partition() == partition && a.writtenMs() > sinceMs).findFirst();
                if (first.isPresent()) {
                    return TimeUnit.NANOSECONDS.toMillis(first.get().readNanos() - stopNanos);
                }
                Thread.sleep(20);
            }
            throw new AssertionError("partition " + partition + " not answered within " + TIMEOUT + " of the stop");
        }

        @Override
        public void close() throws InterruptedException {
            stopped.set(true);
            sending.join();
            reading.join();
        }
    }

    /** Answers at once until {@link #failing} is set; then every submit throws an {@link Error}, a fault no request causes. */
    private static final class FaultyEngine implements SolverEngine {

        final AtomicBoolean failing = new AtomicBoolean();
        private final ScriptedEngine answering = ScriptedEngine.answering(SUDOKU_MODEL, r -> ScriptedEngine.echo(r, 3));

        @Override
        public ModelDescriptor model() {
            return SUDOKU_MODEL;
        }

        @Override
        public SolveFuture submit(final SolveRequest request) {
            if (failing.get()) {
                throw new AssertionError("engine fault for " + request.requestId());
            }
            return answering.submit(request);
        }

        @Override
        public int pending() {
            return answering.pending();
        }

        @Override
        public void close() {
            answering.close();
        }
    }
}
