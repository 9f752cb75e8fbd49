package io.hrmstream.worker.stream;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.embedded.EmbeddedStack;
import io.hrmstream.worker.embedded.EmbeddedStackConfig;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.SolveRequest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.hrmstream.worker.stream.EndToEndScenario.TIMEOUT;
import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU_MODEL;
import static io.hrmstream.worker.stream.TopologyFixture.sudoku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker error that kills a stream thread costs the thread, not the worker ({@link StreamThreadFailurePolicy}).
 * The error is the {@code InvalidTxnStateException} that a commit met in CI after its partition leader was
 * SIGKILLed, which stopped the worker before the policy; here it is thrown where such a failure reaches the stream
 * thread, after the answer was forwarded, so the test also shows what the replacement owes: the dead thread's
 * transaction, answer included, is aborted, and the new thread solves the request again and answers it once.
 */
@Tag("slow")   // an embedded broker and registry
class StreamThreadReplacementTest {

    @TempDir
    Path dir;

    @Test
    void aStreamThreadKilledByABrokerErrorIsReplacedAndTheRequestAnsweredOnce() throws Exception {
        final ScriptedEngine engine = ScriptedEngine.answering(SUDOKU_MODEL, EndToEndScenario::answer);
        final AtomicBoolean broke = new AtomicBoolean();
        final SolveObserver brokerErrorAfterTheFirstAnswer = new SolveObserver() {
            @Override
            public void onSolution(final PuzzleRequest request, final PuzzleSolution solution) {
                if (broke.compareAndSet(false, true)) {
                    throw new InvalidTxnStateException(
                            "The producer attempted a transactional operation in an invalid state.");
                }
            }
        };
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStackConfig.ephemeral(dir.resolve("kafka")));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            final WorkerConfig config = new WorkerConfig(stack.bootstrapServers(), stack.registryUrl(), "replacement",
                    "w1", StreamsConfig.EXACTLY_ONCE_V2, dir.resolve("state"), WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK,
                    WorkerConfig.DEFAULT_ENGINE_WAIT, WorkerConfig.DEFAULT_FORWARD_INTERVAL,
                    // Streams' consumers send no LeaveGroup, so the dead thread's member holds up the rebalance that
                    // gives the new thread its tasks until its session times out: 6 s (the broker's least), not 45
                    Map.of(CommonClientConfigs.SESSION_TIMEOUT_MS_CONFIG, "6000", 
                            CommonClientConfigs.HEARTBEAT_INTERVAL_MS_CONFIG, "1000"));
            try (StreamsWorker worker = new StreamsWorker(config, EngineRoster.of(engine), brokerErrorAfterTheFirstAnswer);
                 KafkaConsumer<String, PuzzleSolution> solutions =
                         KafkaClients.solutionConsumer(stack.bootstrapServers(), stack.registryUrl());
                 KafkaProducer<String, PuzzleRequest> requests =
                         KafkaClients.requestProducer(stack.bootstrapServers(), stack.registryUrl())) {
                worker.start();
                assertTrue(worker.awaitRunning(TIMEOUT));
                requests.send(new ProducerRecord<>(Topics.REQUESTS, "r-0", sudoku("r-0").build())).get();

                final List<ConsumerRecord<String, PuzzleSolution>> answered =
                        KafkaClients.pollUntil(solutions, read -> !read.isEmpty(), TIMEOUT);
                assertEquals(List.of("r-0"), answered.stream().map(ConsumerRecord::key).toList());
                assertTrue(broke.get(), "the first answer met the broker error");
                assertEquals(List.of("r-0", "r-0"), engine.submitted().stream().map(SolveRequest::requestId).toList(),
                        "solved by the dead thread, then by its replacement");
                assertEquals(SolveStatus.SOLVED, answered.get(0).value().getStatus());
                assertFalse(worker.hasStopped(), "the worker goes on: " + worker.state());
                assertEquals(1, admin.describeConsumerGroups(List.of("replacement")).describedGroups()
                        .get("replacement").get().members().size(), "one member: the new thread");
                assertTrue(KafkaClients.pollUntil(solutions, read -> false, Duration.ofSeconds(3)).isEmpty(),
                        "the dead thread's answer was aborted with its transaction: answered once");
            }
        }
    }
}
