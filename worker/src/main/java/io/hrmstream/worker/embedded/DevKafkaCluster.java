package io.hrmstream.worker.embedded;

/**
 * A development Kafka cluster this project runs itself: in this JVM ({@link EmbeddedKafkaCluster}) or one process
 * per node ({@link KafkaNodeProcesses}).
 */
public interface DevKafkaCluster extends AutoCloseable {

    /** {@code host:port} of every broker, comma-separated, for {@code bootstrap.servers}. */
    String bootstrapServers();

    /** The replication every topic of this cluster should get (see {@link TopicReplication#forBrokers}). */
    TopicReplication topicReplication();

    /** Stops every node; safe to call twice. */
    @Override
    void close();
}
