package io.hrmstream.tools.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the cluster for the topics a command needs before it starts, so an unreachable broker or a missing topic is
 * one clear line within seconds instead of a client retrying for a minute.
 */
public final class TopicCheck {

    private TopicCheck() {
    }

    /**
     * @throws IllegalStateException naming the bootstrap servers or the missing topic
     */
    public static void requireTopics(ClientSettings settings, Duration timeout, String... topics) {
        Map<String, Object> config = new HashMap<>(settings.producerConfig("hrm-tools-check"));
        config.keySet().retainAll(AdminClientConfig.configNames());
        // one attempt within the timeout: the answer is only "reachable or not"
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(config)) {
            admin.describeTopics(List.of(topics)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("no answer from Kafka at " + settings.bootstrapServers() + " within "
                    + timeout.toSeconds() + " s: is the broker up (e.g. 'hrm-worker.jar run --embedded')?");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("topic(s) " + String.join(", ", topics) + " missing at "
                        + settings.bootstrapServers() + ": the worker creates them when it starts");
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new IllegalStateException("no answer from Kafka at " + settings.bootstrapServers()
                        + " within " + timeout.toSeconds() + " s: is the broker up?");
            }
            throw new IllegalStateException("cannot describe topics at " + settings.bootstrapServers() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the topics", e);
        }
    }
}
