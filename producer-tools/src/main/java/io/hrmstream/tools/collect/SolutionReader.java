package io.hrmstream.tools.collect;

import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.tools.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Reads {@code hrm.solutions} without a consumer group: it assigns itself every partition, starts at the beginning
 * or the end, and hands each decoded solution to a sink. Values arrive as bytes and are decoded here, so one
 * undecodable record is counted and reported (with its partition and offset) instead of stopping the read.
 */
public final class SolutionReader {

    /** Where reading starts. */
    public enum StartAt { EARLIEST, LATEST }

    /** Receives what was read. */
    public interface Sink {

        void solution(PuzzleSolution solution, ConsumerRecord<String, byte[]> record);

        void undecodable(ConsumerRecord<String, byte[]> record, RuntimeException cause);
    }

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    private final Consumer<String, byte[]> consumer;
    private final Deserializer<PuzzleSolution> values;
    private final String topic;
    private final LongSupplier clockMs;

    public SolutionReader(Consumer<String, byte[]> consumer, Deserializer<PuzzleSolution> values, String topic,
                          LongSupplier clockMs) {
        this.consumer = consumer;
        this.values = values;
        this.topic = topic;
        this.clockMs = clockMs;
    }

    /**
     * Assigns every partition of the topic and fixes the start positions, so that a solution written after this
     * returns is read even when the partitions are empty now.
     *
     * @throws IllegalStateException when the topic does not exist
     */
    public void start(StartAt startAt) {
        KafkaClients.assignAll(consumer, topic, startAt == StartAt.EARLIEST);
    }

    /**
     * Polls until {@code done} holds or the deadline (epoch ms, asked again before each poll, so it may move)
     * passes.
     *
     * @return true when {@code done} held, false on the deadline
     */
    public boolean readUntil(BooleanSupplier done, LongSupplier deadlineMs, Sink sink) {
        while (!done.getAsBoolean()) {
            if (clockMs.getAsLong() >= deadlineMs.getAsLong()) {
                return false;
            }
            ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
            for (ConsumerRecord<String, byte[]> record : records) {
                PuzzleSolution solution;
                try {
                    solution = values.deserialize(record.topic(), record.headers(), record.value());
                } catch (RuntimeException e) {
                    sink.undecodable(record, e);
                    continue;
                }
                if (solution == null) {
                    sink.undecodable(record, new IllegalArgumentException("empty value (tombstone)"));
                    continue;
                }
                sink.solution(solution, record);
            }
        }
        return true;
    }
}
