package io.hrmstream.tools.bench;

import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.tools.input.CellGrid;
import io.hrmstream.tools.input.Puzzle;
import io.hrmstream.tools.publish.SendRate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.hrmstream.tools.support.Solutions.grid;
import static io.hrmstream.tools.support.Solutions.solution;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bench against a worker double that answers each request it sees on the mock producer. */
class BenchRunTest {

    private static final String SOLUTIONS = "hrm.solutions";
    private static final TopicPartition P0 = new TopicPartition(SOLUTIONS, 0);
    private static final CellGrid ANSWER = new CellGrid(1, 2, new byte[] {1, 2});
    private static final Serializer<PuzzleRequest> NO_BYTES = (topic, request) -> new byte[0];

    /** Solution value bytes are the request id; even-numbered requests get the right answer, odd ones not. */
    private static final Deserializer<PuzzleSolution> HALF_RIGHT = (topic, bytes) -> {
        String id = new String(bytes, StandardCharsets.UTF_8);
        boolean even = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) % 2 == 0;
        return solution(id, even ? SolveStatus.SOLVED : SolveStatus.INVALID,
                even ? grid(1, 2, 1, 2) : grid(1, 2, 2, 1), even ? 4 : 16,
                even ? HaltReason.Q_HALT : HaltReason.MAX_STEPS, 7L);
    };

    private static List<Puzzle> puzzles(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> new Puzzle("sudoku", new CellGrid(1, 2, new byte[] {0, 2}), ANSWER, 0, "gen#" + i))
                .toList();
    }

    private static MockConsumer<String, byte[]> solutionsTopic() {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("none");
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(SOLUTIONS,
                List.of(new PartitionInfo(SOLUTIONS, 0, node, new Node[] {node}, new Node[] {node})));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, 0L));
        return consumer;
    }

    /** On every poll, answers the requests published since the last one. */
    private static void answerRequests(MockProducer<String, PuzzleRequest> producer,
                                       MockConsumer<String, byte[]> consumer, AtomicInteger answered) {
        consumer.schedulePollTask(() -> {
            List<ProducerRecord<String, PuzzleRequest>> sent = producer.history();
            for (int i = answered.get(); i < sent.size(); i++) {
                String id = sent.get(i).key();
                consumer.addRecord(new ConsumerRecord<>(SOLUTIONS, 0, i, id, id.getBytes(StandardCharsets.UTF_8)));
            }
            answered.set(sent.size());
            answerRequests(producer, consumer, answered);
        });
    }

    @Test
    void itPublishesEveryPuzzleAndReportsTheSolutionsWithAccuracyRoundTripAndThroughput()
            throws InterruptedException {
        MockProducer<String, PuzzleRequest> producer = new MockProducer<>(true, null, new StringSerializer(), NO_BYTES);
        MockConsumer<String, byte[]> consumer = solutionsTopic();
        answerRequests(producer, consumer, new AtomicInteger());
        AtomicInteger progress = new AtomicInteger();

        BenchRun.Result result = new BenchRun(producer, consumer, HALF_RIGHT, "hrm.requests", SOLUTIONS,
                System::currentTimeMillis).run(puzzles(6),
                new BenchRun.Settings("b1", SendRate.UNLIMITED, null, null, Map.of(), Duration.ofSeconds(30)),
                progress::incrementAndGet, () -> false);

        assertTrue(result.publish().succeeded());
        assertEquals(List.of("b1-0", "b1-1", "b1-2", "b1-3", "b1-4", "b1-5"),
                producer.history().stream().map(ProducerRecord::key).toList());
        assertEquals(6, result.report().received());
        assertEquals(0, result.report().missing());
        assertEquals(6, progress.get());
        assertEquals(0.5, result.report().accuracy().rate());
        assertEquals(Map.of(4, 3L, 16, 3L), result.report().steps());
        assertEquals(6, result.report().roundTripMs().count());
        assertEquals(7, result.report().latencyMs().p50());
        assertNotNull(result.report().throughput());
    }

    @Test
    void solutionsThatNeverComeAreReportedMissingAfterTheTimeout() throws InterruptedException {
        MockProducer<String, PuzzleRequest> producer = new MockProducer<>(true, null, new StringSerializer(), NO_BYTES);
        MockConsumer<String, byte[]> consumer = solutionsTopic();

        BenchRun.Result result = new BenchRun(producer, consumer, HALF_RIGHT, "hrm.requests", SOLUTIONS,
                System::currentTimeMillis).run(puzzles(3),
                new BenchRun.Settings("b2", SendRate.UNLIMITED, null, null, Map.of(), Duration.ofMillis(300)),
                () -> { }, () -> false);

        assertEquals(3, result.report().missing());
        assertEquals(0, result.report().received());
    }

    @Test
    void aMissingSolutionsTopicFailsBeforeAnythingIsPublished() {
        MockProducer<String, PuzzleRequest> producer = new MockProducer<>(true, null, new StringSerializer(), NO_BYTES);
        MockConsumer<String, byte[]> noTopic = new MockConsumer<>("none");
        BenchRun bench = new BenchRun(producer, noTopic, HALF_RIGHT, "hrm.requests", SOLUTIONS,
                System::currentTimeMillis);
        assertThrows(IllegalStateException.class, () -> bench.run(puzzles(2),
                new BenchRun.Settings("b3", SendRate.UNLIMITED, null, null, Map.of(), Duration.ofSeconds(1)),
                () -> { }, () -> false));
        assertEquals(List.of(), producer.history());
    }
}
