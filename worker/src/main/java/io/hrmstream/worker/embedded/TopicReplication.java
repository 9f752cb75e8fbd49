package io.hrmstream.worker.embedded;

/**
 * How a topic is replicated on a cluster of a given size: three copies where three brokers exist, and a write
 * with {@code acks=all} needs all but one of them, so one broker can be lost without stopping producers.
 *
 * @param factor            replication factor of each partition
 * @param minInsyncReplicas the topic's {@code min.insync.replicas}
 */
public record TopicReplication(short factor, int minInsyncReplicas) {

    public TopicReplication {
        if (factor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, got " + factor);
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > factor) {
            throw new IllegalArgumentException("min.insync.replicas must be in [1, " + factor + "], got " + minInsyncReplicas);
        }
    }

    /** 1 broker: RF 1, min ISR 1; 2 brokers: RF 2, min ISR 1; 3 or more: RF 3, min ISR 2. */
    public static TopicReplication forBrokers(int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a cluster has at least one broker, got " + brokers);
        }
        short factor = (short) Math.min(3, brokers);
        return new TopicReplication(factor, Math.max(1, factor - 1));
    }
}
