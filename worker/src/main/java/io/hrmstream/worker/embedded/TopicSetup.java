package io.hrmstream.worker.embedded;

import io.hrmstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Idempotent creation of the product's topics ({@link Topics} names them): an admin helper, apart from the names,
 * used where this project runs its own brokers.
 */
public final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    public static final int DEFAULT_PARTITIONS = 6;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicSetup() {
    }

    /** {@code hrm.requests}, {@code hrm.solutions} and {@code hrm.requests.dlq}, each with the given layout. */
    public static List<NewTopic> newTopics(int partitions, TopicReplication replication) {
        return List.of(Topics.REQUESTS, Topics.SOLUTIONS, Topics.REQUESTS_DLQ).stream()
                .map(name -> newTopic(name, partitions, replication, Map.of()))
                .toList();
    }

    /** A topic with the given partitions and replication, its {@code min.insync.replicas} set, plus {@code configs}. */
    public static NewTopic newTopic(String name, int partitions, TopicReplication replication, Map<String, String> configs) {
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic needs at least one partition, got " + partitions + " for " + name);
        }
        Map<String, String> all = new HashMap<>(configs);
        all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(replication.minInsyncReplicas()));
        return new NewTopic(name, partitions, replication.factor()).configs(all);
    }

    /**
     * Creates the topics that do not exist yet and returns once every partition of those has a leader and every
     * replica has its log on its broker, so clients started next do not see them as unknown on any broker that holds
     * a replica (all brokers, with the product's replication). An existing topic is left as it is (its data matters
     * more than its layout; a difference in partition count is logged), and only waited for until each partition has
     * a leader: one of its replicas' brokers may be down, which its clients ride out (a registry restarted while a
     * broker is lost).
     */
    public static void ensureExist(Admin admin, Collection<NewTopic> topics) {
        try {
            var results = admin.createTopics(topics).values();
            List<String> created = new ArrayList<>();
            List<String> existing = new ArrayList<>();
            for (NewTopic topic : topics) {
                try {
                    results.get(topic.name()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(topic.name());
                    LOG.info("Created topic {} ({} partitions, replication factor {})",
                            topic.name(), topic.numPartitions(), topic.replicationFactor());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                    warnOnDifferentLayout(admin, topic);
                    existing.add(topic.name());
                }
            }
            if (!created.isEmpty()) {
                awaitReplicas(admin, created, true);
            }
            if (!existing.isEmpty()) {
                awaitReplicas(admin, existing, false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topics not created within " + TIMEOUT.toSeconds() + " s", e);
        }
    }

    /**
     * A leader seen by the broker that answers is not enough with several brokers: the others apply the controller's
     * metadata a few milliseconds later, and an admin call routed to one of them fails with unknown topic. A broker
     * creates a replica's log when it applies that metadata, so a log for every replica means every replica's broker
     * knows the topic.
     */
    private static void awaitReplicas(Admin admin, List<String> names, boolean withLogs)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!everyPartitionLedAndLogged(admin, names, withLogs)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topics " + names + " have no leader or replica logs after "
                        + TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    /** Every partition has a leader and, {@code withLogs}, every replica its log. */
    private static boolean everyPartitionLedAndLogged(Admin admin, List<String> names, boolean withLogs)
            throws InterruptedException, TimeoutException {
        try {
            List<TopicPartitionReplica> replicas = new ArrayList<>();
            for (TopicDescription topic : admin.describeTopics(names).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values()) {
                for (TopicPartitionInfo partition : topic.partitions()) {
                    if (partition.leader() == null) {
                        return false;
                    }
                    for (Node replica : partition.replicas()) {
                        replicas.add(new TopicPartitionReplica(topic.name(), partition.partition(), replica.id()));
                    }
                }
            }
            return !withLogs || admin.describeReplicaLogDirs(replicas).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .values().stream()
                    .allMatch(log -> log.getCurrentReplicaLogDir() != null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false; // created, but not yet in the metadata of the broker that answered
            }
            throw new IllegalStateException("cannot describe topics " + names + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    private static void warnOnDifferentLayout(Admin admin, NewTopic wanted)
            throws InterruptedException, TimeoutException {
        try {
            TopicDescription existing = admin.describeTopics(List.of(wanted.name())).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(wanted.name());
            int partitions = existing.partitions().size();
            if (partitions != wanted.numPartitions()) {
                LOG.warn("Topic {} already exists with {} partitions (not {}); it is used as it is",
                        wanted.name(), partitions, wanted.numPartitions());
            } else {
                LOG.info("Topic {} already exists", wanted.name());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe topic " + wanted.name() + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
