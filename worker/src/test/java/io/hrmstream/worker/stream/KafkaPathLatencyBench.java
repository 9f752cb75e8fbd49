package io.hrmstream.worker.stream;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.embedded.EmbeddedStack;
import io.hrmstream.worker.embedded.EmbeddedStackConfig;
import io.hrmstream.worker.engine.EngineRoster;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU_MODEL;
import static io.hrmstream.worker.stream.TopologyFixture.sudoku;

/**
 * What the Kafka path adds around the engine, at low load: one request at a time, from the client's send to the
 * solution being visible to a read_committed consumer, with an engine double that answers at once or after a
 * fixed time, which is subtracted. Each configuration runs on a fresh embedded broker and registry (6
 * partitions). Prints a Markdown table; see docs/BENCHMARKS.md for the command.
 *
 * <p>Usage: {@code KafkaPathLatencyBench [requests per configuration, default 200]}
 */
public final class KafkaPathLatencyBench {

    private static final int WARMUP = 20;
    /** Random pause between requests, so that they do not fall into step with commits and punctuations. */
    private static final int MAX_GAP_MS = 60;

    /** @param engineMs how long the engine double takes per puzzle; subtracted from what is reported */
    private record Scenario(String name, String guarantee, Map<String, String> overrides, int engineMs) {
    }

    private KafkaPathLatencyBench() {
    }

    public static void main(final String[] args) {
        int exit = 1;
        try {
            table(args.length > 0 ? Integer.parseInt(args[0]) : 200);
            exit = 0;
        } catch (final Exception e) {
            e.printStackTrace();
        }
        // Kafka and RocksDB leave non-daemon threads behind after a failure
        System.exit(exit);
    }

    private static void table(final int requests) throws Exception {
        final Map<String, String> streamsDefaults = Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100",
                StreamsConfig.POLL_MS_CONFIG, "100", StreamsConfig.producerPrefix("linger.ms"), "100");
        final List<Scenario> scenarios = List.of(
                new Scenario("worker defaults", StreamsConfig.EXACTLY_ONCE_V2, Map.of(), 0),
                new Scenario("worker defaults", StreamsConfig.AT_LEAST_ONCE, Map.of(), 0),
                new Scenario("commit.interval.ms=10", StreamsConfig.EXACTLY_ONCE_V2,
                        Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "10"), 0),
                new Scenario("Streams defaults (commit 100, poll 100, linger 100)", StreamsConfig.EXACTLY_ONCE_V2,
                        streamsDefaults, 0),
                new Scenario("Streams defaults (poll 100, linger 100)", StreamsConfig.AT_LEAST_ONCE,
                        Map.of(StreamsConfig.POLL_MS_CONFIG, "100", StreamsConfig.producerPrefix("linger.ms"), "100"), 0),
                // an engine that takes a while, as a real one does: its answer completes while the thread polls
                new Scenario("worker defaults, 30 ms engine", StreamsConfig.EXACTLY_ONCE_V2, Map.of(), 30),
                new Scenario("Streams defaults, 30 ms engine", StreamsConfig.EXACTLY_ONCE_V2, streamsDefaults, 30));
        final List<String> rows = new ArrayList<>();
        for (final Scenario scenario : scenarios) {
            rows.add(run(scenario, requests));
            System.err.println(rows.get(rows.size() - 1));
        }
        System.out.println("| guarantee | settings | n | p50 ms | p90 ms | p99 ms | max ms | worker-side p50 ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String run(final Scenario scenario, final int requests) throws Exception {
        final Path dir = Files.createTempDirectory("kafka-path-latency");
        final ScriptedEngine engine = ScriptedEngine.answering(SUDOKU_MODEL, r -> {
            sleep(scenario.engineMs());
            return ScriptedEngine.echo(r, 1);
        });
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStackConfig.ephemeral(dir.resolve("kafka")))) {
            final String bootstrap = stack.bootstrapServers();
            final String registry = stack.registryUrl();
            final WorkerConfig config = new WorkerConfig(bootstrap, registry, "latency-bench", "bench",
                    scenario.guarantee(), dir.resolve("streams"), WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK,
                    WorkerConfig.DEFAULT_ENGINE_WAIT, WorkerConfig.DEFAULT_FORWARD_INTERVAL, scenario.overrides());
            final Map<String, Long> receivedNanos = new ConcurrentHashMap<>();
            final Map<String, Long> workerSideMs = new ConcurrentHashMap<>();
            final AtomicBoolean reading = new AtomicBoolean(true);
            try (StreamsWorker worker = new StreamsWorker(config, EngineRoster.of(engine));
                 KafkaProducer<String, PuzzleRequest> producer = KafkaClients.requestProducer(bootstrap, registry)) {
                worker.start();
                if (!worker.awaitRunning(Duration.ofSeconds(120))) {
                    throw new IllegalStateException("worker not running");
                }
                final Thread reader = new Thread(() -> {
                    try (KafkaConsumer<String, PuzzleSolution> consumer = KafkaClients.solutionConsumer(bootstrap, registry)) {
                        while (reading.get()) {
                            for (final ConsumerRecord<String, PuzzleSolution> r : consumer.poll(Duration.ofMillis(50))) {
                                final long now = System.nanoTime();
                                workerSideMs.put(r.key(), r.value().getLatencyMs());
                                receivedNanos.put(r.key(), now);
                            }
                        }
                    }
                }, "solution-reader");
                reader.setDaemon(true);
                reader.start();

                final Random random = new Random(42);
                final long[] latencies = new long[requests];
                final long[] workerSide = new long[requests];
                for (int i = -WARMUP; i < requests; i++) {
                    final String id = "bench-" + (i + WARMUP);
                    final long sentNanos = System.nanoTime();
                    producer.send(new ProducerRecord<>(Topics.REQUESTS, id,
                            sudoku(id).setSubmittedAtMs(Instant.now()).build()));
                    final long deadline = sentNanos + TimeUnit.SECONDS.toNanos(30);
                    while (!receivedNanos.containsKey(id)) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("no solution for " + id + " within 30 s");
                        }
                        Thread.sleep(0, 200_000);
                    }
                    if (i >= 0) {
                        latencies[i] = receivedNanos.get(id) - sentNanos - TimeUnit.MILLISECONDS.toNanos(scenario.engineMs());
                        workerSide[i] = workerSideMs.get(id) - scenario.engineMs();
                    }
                    Thread.sleep(random.nextInt(MAX_GAP_MS + 1));
                }
                reading.set(false);
                reader.join();
                Arrays.sort(latencies);
                Arrays.sort(workerSide);
                return String.format("| %s | %s | %d | %.1f | %.1f | %.1f | %.1f | %d |", scenario.guarantee(),
                        scenario.name(), requests, ms(latencies, 0.50), ms(latencies, 0.90), ms(latencies, 0.99),
                        latencies[requests - 1] / 1e6, workerSide[requests / 2]);
            }
        } finally {
            engine.close();
        }
    }

    private static void sleep(final int ms) {
        try {
            Thread.sleep(ms);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double ms(final long[] sortedNanos, final double quantile) {
        return sortedNanos[(int) Math.min(sortedNanos.length - 1, Math.ceil(quantile * sortedNanos.length) - 1)] / 1e6;
    }
}
