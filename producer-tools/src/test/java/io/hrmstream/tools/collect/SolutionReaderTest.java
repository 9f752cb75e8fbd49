package io.hrmstream.tools.collect;

import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static io.hrmstream.tools.support.Solutions.solution;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SolutionReaderTest {

    private static final String TOPIC = "hrm.solutions";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    /** Test double for the registry deserializer: the value bytes are the request id; "garbage" cannot be read. */
    private static final Deserializer<PuzzleSolution> BY_ID = (topic, bytes) -> {
        String id = new String(bytes, StandardCharsets.UTF_8);
        if (id.equals("garbage")) {
            throw new SerializationException("unknown magic byte");
        }
        return solution(id, SolveStatus.SOLVED, null, 3, HaltReason.Q_HALT, 5L);
    };

    private static final class Collected implements SolutionReader.Sink {
        final List<String> ids = new ArrayList<>();
        final List<Long> undecodableOffsets = new ArrayList<>();

        @Override
        public void solution(PuzzleSolution solution, ConsumerRecord<String, byte[]> record) {
            ids.add(solution.getRequestId());
        }

        @Override
        public void undecodable(ConsumerRecord<String, byte[]> record, RuntimeException cause) {
            undecodableOffsets.add(record.offset());
        }
    }

    private static MockConsumer<String, byte[]> twoPartitions(long p0End, long p1End) {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("none");
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(TOPIC, List.of(
                new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node}),
                new PartitionInfo(TOPIC, 1, node, new Node[] {node}, new Node[] {node})));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, p0End, P1, p1End));
        return consumer;
    }

    private static ConsumerRecord<String, byte[]> record(TopicPartition tp, long offset, String id) {
        return new ConsumerRecord<>(TOPIC, tp.partition(), offset, id, id.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void itAssignsEveryPartitionAndResolvesTheStartBeforeReturning() {
        MockConsumer<String, byte[]> consumer = twoPartitions(7, 3);
        new SolutionReader(consumer, BY_ID, TOPIC, System::currentTimeMillis).start(SolutionReader.StartAt.LATEST);
        assertEquals(Set.of(P0, P1), consumer.assignment());
        assertEquals(7, consumer.position(P0));
        assertEquals(3, consumer.position(P1));
    }

    @Test
    void itReadsUntilDoneAndSkipsUndecodableRecordsAfterReportingThem() {
        MockConsumer<String, byte[]> consumer = twoPartitions(0, 0);
        SolutionReader reader = new SolutionReader(consumer, BY_ID, TOPIC, System::currentTimeMillis);
        reader.start(SolutionReader.StartAt.EARLIEST);
        consumer.addRecord(record(P0, 0, "a"));
        consumer.addRecord(record(P0, 1, "garbage"));
        consumer.addRecord(record(P1, 0, "b"));
        consumer.schedulePollTask(() -> consumer.addRecord(record(P1, 1, "c")));

        Collected collected = new Collected();
        boolean done = reader.readUntil(() -> collected.ids.size() == 3, () -> Long.MAX_VALUE, collected);

        assertTrue(done);
        assertEquals(Set.of("a", "b", "c"), Set.copyOf(collected.ids));
        assertEquals(List.of(1L), collected.undecodableOffsets);
    }

    @Test
    void itGivesUpAtTheDeadline() {
        MockConsumer<String, byte[]> consumer = twoPartitions(0, 0);
        AtomicLong clock = new AtomicLong(1_000);
        SolutionReader reader = new SolutionReader(consumer, BY_ID, TOPIC, () -> clock.getAndAdd(100));
        reader.start(SolutionReader.StartAt.EARLIEST);
        boolean done = reader.readUntil(() -> false, () -> 1_500, new Collected());
        assertFalse(done);
    }

    @Test
    void aMissingTopicIsExplained() {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("none");
        SolutionReader reader = new SolutionReader(consumer, BY_ID, TOPIC, System::currentTimeMillis);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> reader.start(SolutionReader.StartAt.LATEST));
        assertTrue(e.getMessage().contains("hrm.solutions does not exist"), e.getMessage());
    }
}
