package io.hrmstream.worker.stream;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.embedded.EmbeddedKafkaConfig;
import io.hrmstream.worker.embedded.EmbeddedStack;
import io.hrmstream.worker.embedded.EmbeddedStackConfig;
import io.hrmstream.worker.testing.WorkerCliProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three worker processes (separate JVMs, {@code hrm-worker run}) share the 6 partitions of one embedded cluster;
 * one is killed with SIGKILL in the middle of 2,000 requests. Every request is still answered exactly once
 * (read_committed), and the survivors take over the killed worker's partitions.
 *
 * <p>The workers run without a model, so every answer is REJECTED at once: the test is about the Kafka path
 * (transactions, rebalance, takeover), and a model would only add minutes of CPU on a 2-core CI machine.
 * The rebalance pause it prints depends on the settings below: {@code session.timeout.ms=6000} (the broker's
 * minimum; Kafka's default is 45 s) and {@code transaction.timeout.ms=5000} for the dead worker's open
 * transaction, with the broker checking for timed-out transactions every second.
 */
@Tag("slow")   // starts brokers or child JVMs: the slow lane
class WorkerScaleTest {

    private static final int PARTITIONS = 6;
    private static final int REQUESTS = 2_000;
    private static final int KILL_AFTER = 700;
    private static final long SEND_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(8); // about 125 requests/s

    @TempDir
    Path dir;

    @Test
    void threeWorkersShareTheLoadAndAfterOneIsKilledEveryRequestIsAnsweredExactlyOnce() throws Exception {
        final EmbeddedKafkaConfig ephemeral = EmbeddedKafkaConfig.ephemeral(dir.resolve("kafka"));
        final EmbeddedKafkaConfig kafka = new EmbeddedKafkaConfig(ephemeral.brokers(), ephemeral.host(),
                ephemeral.port(), ephemeral.controllerPort(), ephemeral.dataDir(),
                // abort the killed worker's open transaction within a second of its timeout (default: 10 s)
                Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"));
        final List<WorkerCliProcess> workers = new ArrayList<>();
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStackConfig.ephemeral(dir.resolve("kafka"))
                .withKafka(kafka).withPartitions(PARTITIONS))) {
            for (int i = 0; i < 3; i++) {
                workers.add(startWorker("w" + i, stack));
            }
            for (final WorkerCliProcess worker : workers) {
                worker.awaitReady();
            }

            final Map<String, Integer> partitionOf = new HashMap<>();
            final Collector collector = new Collector(stack);
            final Thread collecting = new Thread(collector, "solutions");
            collecting.start();
            long killNanos = 0;
            long killMs = 0;
            String killed = null;
            Set<Integer> killedPartitions = Set.of();
            try (KafkaProducer<String, PuzzleRequest> producer =
                         KafkaClients.requestProducer(stack.bootstrapServers(), stack.registryUrl())) {
                long next = System.nanoTime();
                for (int i = 0; i < REQUESTS; i++) {
                    if (i == KILL_AFTER) {
                        assertTrue(collector.awaitWorkers(3, Duration.ofSeconds(60)),
                                "all three workers answer before the kill: " + collector.owners());
                        killed = "w0";
                        killedPartitions = collector.partitionsOf(killed, partitionOf);
                        assertFalse(killedPartitions.isEmpty());
                        killNanos = System.nanoTime();
                        killMs = System.currentTimeMillis();
                        workers.get(0).kill(); // SIGKILL: no commit, no leave-group
                    }
                    final String id = "scale-" + i;
                    final int partition = i % PARTITIONS;
                    partitionOf.put(id, partition);
                    producer.send(new ProducerRecord<>(Topics.REQUESTS, partition, id, request(id)));
                    next += SEND_INTERVAL_NANOS;
                    final long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
            assertTrue(collector.awaitCount(REQUESTS, Duration.ofSeconds(120)),
                    "answered " + collector.distinct() + " of " + REQUESTS);
            Thread.sleep(2_000); // let a late duplicate, if any, arrive
            collector.stop();
            collecting.join();

            assertEquals(REQUESTS, collector.distinct());
            assertEquals(List.of(), collector.duplicates(), "every request is answered exactly once");
            // the survivors answer on the killed worker's partitions after the kill
            final long takeoverNanos = collector.firstAfter(killNanos, killedPartitions, killed, partitionOf);
            assertTrue(takeoverNanos > 0, "no survivor answered on partitions " + killedPartitions);
            final Map<String, Set<Integer>> survivorsPartitions = collector.ownersAfter(killMs, partitionOf);
            assertFalse(survivorsPartitions.containsKey(killed));
            assertEquals(Set.of(0, 1, 2, 3, 4, 5), survivorsPartitions.values().stream()
                    .flatMap(Set::stream).collect(Collectors.toSet()), survivorsPartitions.toString());
            System.out.printf("scale test: %s killed (partitions %s); first survivor answer on them %d ms after "
                            + "the kill; longest gap in the solution stream after the kill %d ms; survivors %s%n",
                    killed, killedPartitions, TimeUnit.NANOSECONDS.toMillis(takeoverNanos - killNanos),
                    TimeUnit.NANOSECONDS.toMillis(collector.longestGapAfter(killNanos)), survivorsPartitions);
        } finally {
            for (final WorkerCliProcess worker : workers) {
                worker.close();
            }
        }
    }

    private WorkerCliProcess startWorker(final String id, final EmbeddedStack stack) {
        return WorkerCliProcess.start(dir, id, WorkerCliProcess.SMALL_JVM, "run", "--no-model",
                "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl(),
                "--worker-id", id, "--metrics-port", "0", "--data-dir", dir.resolve(id).toString(),
                // a dead worker leaves the group after 6 s (the broker's minimum) instead of the default 45 s
                "-p", "session.timeout.ms=6000", "-p", "heartbeat.interval.ms=1000",
                "-p", "producer.transaction.timeout.ms=5000");
    }

    private static PuzzleRequest request(final String id) {
        return PuzzleRequest.newBuilder().setId(id).setTask("sudoku")
                .setGrid(new Grid(9, 9, ByteBuffer.wrap(new byte[81])))
                .setSubmittedAtMs(java.time.Instant.now()).setAttributes(Map.of()).build();
    }

    /** Reads hrm.solutions (read_committed) and keeps, per solution, its id, worker and arrival time. */
    private static final class Collector implements Runnable {

        private record Arrival(String requestId, String workerId, long nanos, long producedMs) {
        }

        private final EmbeddedStack stack;
        private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
        private final Map<String, Integer> counts = new ConcurrentHashMap<>();
        private final AtomicBoolean stopped = new AtomicBoolean();

        Collector(final EmbeddedStack stack) {
            this.stack = stack;
        }

        @Override
        public void run() {
            try (KafkaConsumer<String, PuzzleSolution> consumer =
                         KafkaClients.solutionConsumer(stack.bootstrapServers(), stack.registryUrl())) {
                while (!stopped.get()) {
                    for (final ConsumerRecord<String, PuzzleSolution> record : consumer.poll(Duration.ofMillis(50))) {
                        final long now = System.nanoTime();
                        final PuzzleSolution solution = record.value();
                        arrivals.add(new Arrival(solution.getRequestId(), solution.getWorkerId(), now, record.timestamp()));
                        counts.merge(solution.getRequestId(), 1, Integer::sum);
                    }
                }
            }
        }

        void stop() {
            stopped.set(true);
        }

        int distinct() {
            return counts.size();
        }

        List<String> duplicates() {
            return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
        }

        Set<String> owners() {
            return arrivals.stream().map(Arrival::workerId).collect(Collectors.toSet());
        }

        boolean awaitWorkers(final int n, final Duration timeout) throws InterruptedException {
            return await(() -> owners().size() >= n, timeout);
        }

        boolean awaitCount(final int n, final Duration timeout) throws InterruptedException {
            return await(() -> counts.size() >= n, timeout);
        }

        private static boolean await(final java.util.function.BooleanSupplier done, final Duration timeout)
                throws InterruptedException {
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (done.getAsBoolean()) {
                    return true;
                }
                Thread.sleep(50);
            }
            return done.getAsBoolean();
        }

        Set<Integer> partitionsOf(final String worker, final Map<String, Integer> partitionOf) {
            return arrivals.stream().filter(a -> a.workerId().equals(worker))
                    .map(a -> partitionOf.get(a.requestId())).collect(Collectors.toSet());
        }

        /** Arrival of the first solution after {@code sinceNanos} on one of {@code partitions} by another worker. */
        long firstAfter(final long sinceNanos, final Set<Integer> partitions, final String notBy,
                        final Map<String, Integer> partitionOf) {
            return arrivals.stream().filter(a -> a.nanos() > sinceNanos && !a.workerId().equals(notBy)
                            && partitions.contains(partitionOf.get(a.requestId())))
                    .mapToLong(Arrival::nanos).min().orElse(0);
        }

        /**
         * Who answered on which partitions with solutions written after {@code sinceMs} (the record timestamp is the
         * worker's clock when it forwarded the solution): arrival time would also count a transaction the killed
         * worker committed just before it died but that the consumer read just after.
         */
        Map<String, Set<Integer>> ownersAfter(final long sinceMs, final Map<String, Integer> partitionOf) {
            final Map<String, Set<Integer>> owners = new HashMap<>();
            arrivals.stream().filter(a -> a.producedMs() > sinceMs).forEach(a ->
                    owners.computeIfAbsent(a.workerId(), w -> new HashSet<>()).add(partitionOf.get(a.requestId())));
            return owners;
        }

        long longestGapAfter(final long sinceNanos) {
            long previous = sinceNanos;
            long longest = 0;
            for (final Arrival a : arrivals) {
                if (a.nanos() > sinceNanos) {
                    longest = Math.max(longest, a.nanos() - previous);
                    previous = a.nanos();
                }
            }
            return longest;
        }
    }
}
