package io.hrmstream.worker.stream;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.embedded.EmbeddedStack;
import io.hrmstream.worker.embedded.EmbeddedStackConfig;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.SolveRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.hrmstream.worker.stream.EndToEndScenario.TIMEOUT;
import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU_MODEL;
import static io.hrmstream.worker.stream.TopologyFixture.sudoku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker stopped with requests in flight, and started again, answers every request exactly once
 * (read_committed): the in-flight store's changelog brings back what the engine had not finished.
 */
@Tag("slow")   // starts brokers or child JVMs: the slow lane
class WorkerRestartTest {

    private static final int REQUESTS = 30;

    @TempDir
    Path dataDir;

    @Test
    void requestsInFlightWhenTheWorkerStopsAreAnsweredExactlyOnceAfterItStartsAgain() throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStackConfig.ephemeral(dataDir.resolve("kafka"))
                .withPartitions(2))) {
            final String bootstrap = stack.bootstrapServers();
            final String registry = stack.registryUrl();
            final WorkerConfig config = EndToEndScenario.workerConfig(bootstrap, registry, dataDir.resolve("streams"),
                    "restart-test");
            final List<String> ids = IntStream.range(0, REQUESTS).mapToObj(i -> "req-" + i).toList();
            final List<ConsumerRecord<String, PuzzleSolution>> read = new ArrayList<>();

            try (KafkaConsumer<String, PuzzleSolution> solutions = KafkaClients.solutionConsumer(bootstrap, registry)) {
                // first run: the engine answers the even requests and holds the odd ones
                final ScriptedEngine first = ScriptedEngine.holding(SUDOKU_MODEL);
                try (StreamsWorker worker = new StreamsWorker(config, EngineRoster.of(first));
                     KafkaProducer<String, PuzzleRequest> producer = KafkaClients.requestProducer(bootstrap, registry)) {
                    worker.start();
                    assertTrue(worker.awaitRunning(TIMEOUT));
                    for (final String id : ids) {
                        producer.send(new ProducerRecord<>(Topics.REQUESTS, id, sudoku(id).build()));
                    }
                    producer.flush();
                    awaitSubmitted(first, REQUESTS);
                    for (final SolveRequest r : first.submitted()) {
                        if (index(r.requestId()) % 2 == 0) {
                            first.complete(EndToEndScenario.answer(r));
                        }
                    }
                    read.addAll(KafkaClients.pollUntil(solutions, r -> r.size() >= REQUESTS / 2, TIMEOUT));
                    assertEquals(REQUESTS / 2, read.size(), "the even half answered before the stop");
                } // Streams closes (committing its transaction) with the odd half still in the engine
                first.close();

                // second run: a fresh engine that answers everything
                final ScriptedEngine second = ScriptedEngine.answering(SUDOKU_MODEL, EndToEndScenario::answer);
                try (StreamsWorker worker = new StreamsWorker(config, EngineRoster.of(second))) {
                    worker.start();
                    assertTrue(worker.awaitRunning(TIMEOUT));
                    read.addAll(KafkaClients.pollUntil(solutions, r -> read.size() + r.size() >= REQUESTS, TIMEOUT));
                    read.addAll(KafkaClients.pollUntil(solutions, r -> false, Duration.ofSeconds(2)));
                    // the odd answers fail the verifier, so the restarted worker also races their views ("<id>/v<k>")
                    assertEquals(Set.copyOf(ids.stream().filter(id -> index(id) % 2 == 1).toList()),
                            second.submitted().stream().map(SolveRequest::requestId)
                                    .filter(id -> !id.contains("/v")).collect(Collectors.toSet()),
                            "exactly the requests that were in flight are resubmitted");
                } finally {
                    second.close();
                }
            }
            assertEquals(Set.copyOf(ids), EndToEndScenario.idsOnce(read), "every request answered exactly once");
        }
    }

    private static void awaitSubmitted(final ScriptedEngine engine, final int count) throws InterruptedException {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (engine.submitted().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(count, engine.submitted().size(), "requests submitted to the engine");
    }

    private static int index(final String id) {
        return Integer.parseInt(id.substring(id.indexOf('-') + 1));
    }
}
