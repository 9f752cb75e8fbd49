package io.hrmstream.worker.stream;

import io.hrmstream.schemas.DeadLetterHeaderNames;
import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.SolveRequest;
import io.hrmstream.worker.engine.SolveResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.hrmstream.worker.stream.TopologyFixture.SOLUTION;
import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU;
import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU_MODEL;
import static io.hrmstream.worker.stream.TopologyFixture.grid;
import static io.hrmstream.worker.stream.TopologyFixture.sudoku;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end-to-end test, run against any Kafka and Schema Registry (embedded here, containers where Docker
 * exists): N requests published with the real serde, one undecodable record, and the worker's answers read
 * back with isolation.level=read_committed.
 */
final class EndToEndScenario {

    static final int REQUESTS = 40;
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    private EndToEndScenario() {
    }

    /** Even requests get the right answer (SOLVED), odd ones the puzzle back (INVALID), in every view. */
    static SolveResult answer(final SolveRequest request) {
        final String id = request.requestId().replaceFirst("/v\\d+$", "");   // guess-scaling views: "<id>/v<k>"
        final int index = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
        final int[] tokens = index % 2 == 0 ? SUDOKU.encode(grid(9, 9, SOLUTION)) : request.tokens();
        return new SolveResult(request.requestId(), tokens, 3, request.maxSteps(), HaltReason.Q_HALT, 0.9f, 1,
                1_000_000L, 2_000_000L);
    }

    static WorkerConfig workerConfig(final String bootstrap, final String registryUrl, final Path stateDir,
                                     final String applicationId) {
        return new WorkerConfig(bootstrap, registryUrl, applicationId, "worker-e2e", StreamsConfig.EXACTLY_ONCE_V2,
                stateDir, WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK, WorkerConfig.DEFAULT_ENGINE_WAIT,
                WorkerConfig.DEFAULT_FORWARD_INTERVAL, Map.of());
    }

    static void run(final String bootstrap, final String registryUrl, final Path stateDir) throws Exception {
        final ScriptedEngine engine = ScriptedEngine.answering(SUDOKU_MODEL, EndToEndScenario::answer);
        final WorkerConfig config = workerConfig(bootstrap, registryUrl, stateDir, "e2e-" + UUID.randomUUID());
        try (StreamsWorker worker = new StreamsWorker(config, EngineRoster.of(engine));
             KafkaProducer<String, PuzzleRequest> producer = KafkaClients.requestProducer(bootstrap, registryUrl);
             KafkaProducer<byte[], byte[]> rawProducer = new KafkaProducer<>(
                     // room for a record just under the broker's limit (1 MiB + 12 bytes by default)
                     Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                             ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024),
                     new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<String, PuzzleSolution> solutions = KafkaClients.solutionConsumer(bootstrap, registryUrl);
             KafkaConsumer<byte[], byte[]> deadLetters = KafkaClients.deadLetterConsumer(bootstrap)) {
            worker.start();
            assertTrue(worker.awaitRunning(TIMEOUT), "worker running");

            final byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
            // a poison pill: accepted by hrm.requests, but its dead letter (value plus headers) is larger than the
            // worker's producer may send; it once crashed the worker on every restart
            final byte[] poison = new byte[1_048_500];
            Arrays.fill(poison, (byte) 0x7f);
            for (int i = 0; i < REQUESTS; i++) {
                producer.send(new ProducerRecord<>(Topics.REQUESTS, "e2e-" + i, sudoku("e2e-" + i)
                        .setSubmittedAtMs(Instant.now()).setAttributes(Map.of("i", Integer.toString(i))).build()));
                if (i == REQUESTS / 2) {
                    producer.flush();
                    rawProducer.send(new ProducerRecord<>(Topics.REQUESTS, "junk".getBytes(StandardCharsets.UTF_8),
                            garbage));
                    rawProducer.send(new ProducerRecord<>(Topics.REQUESTS, "big".getBytes(StandardCharsets.UTF_8),
                            poison)).get();
                }
            }
            producer.flush();
            rawProducer.flush();

            final List<ConsumerRecord<String, PuzzleSolution>> read =
                    KafkaClients.pollUntil(solutions, r -> r.size() >= REQUESTS, TIMEOUT);
            // a little longer: a duplicate would show up now
            read.addAll(KafkaClients.pollUntil(solutions, r -> false, Duration.ofSeconds(1)));
            final Map<String, PuzzleSolution> byId = read.stream()
                    .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value));
            assertEquals(REQUESTS, read.size(), "one solution per request");
            assertEquals(IntStream.range(0, REQUESTS).mapToObj(i -> "e2e-" + i).collect(Collectors.toSet()),
                    byId.keySet());
            for (int i = 0; i < REQUESTS; i++) {
                final PuzzleSolution s = byId.get("e2e-" + i);
                assertEquals(i % 2 == 0 ? SolveStatus.SOLVED : SolveStatus.INVALID, s.getStatus(), s.toString());
                assertEquals(Integer.toString(i), s.getAttributes().get("i"));
                assertEquals("worker-e2e", s.getWorkerId());
                assertNotNull(s.getLatencyMs());
            }

            final Map<String, ConsumerRecord<byte[], byte[]>> letters =
                    KafkaClients.pollUntil(deadLetters, r -> r.size() >= 2, TIMEOUT).stream()
                            .collect(Collectors.toMap(r -> new String(r.key(), StandardCharsets.UTF_8), r -> r));
            assertEquals(Set.of("junk", "big"), letters.keySet());
            final ConsumerRecord<byte[], byte[]> junk = letters.get("junk");
            assertArrayEquals(garbage, junk.value());
            assertNotNull(junk.headers().lastHeader(DeadLetterHeaderNames.ERROR));
            assertEquals(Topics.REQUESTS, new String(
                    junk.headers().lastHeader(DeadLetterHeaderNames.SOURCE_TOPIC).value(), StandardCharsets.UTF_8));
            final ConsumerRecord<byte[], byte[]> big = letters.get("big");
            assertEquals(DeadLetterHeaders.KEPT_BYTES, big.value().length, "cut so that it fits");
            assertEquals(Integer.toString(poison.length), new String(
                    big.headers().lastHeader(DeadLetterHeaderNames.TRUNCATED).value(), StandardCharsets.UTF_8));
            assertFalse(worker.hasStopped(), "no record stops the worker");
        } finally {
            engine.close();
        }
    }

    /** Request ids of the records, each once; fails on a duplicate. */
    static Set<String> idsOnce(final List<ConsumerRecord<String, PuzzleSolution>> records) {
        final Map<String, Long> counts = records.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        counts.forEach((id, n) -> assertEquals(1L, n, "solutions for " + id));
        return counts.keySet();
    }
}
