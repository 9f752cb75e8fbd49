package io.hrmstream.tools.kafka;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.serde.RegistryAvroDeserializer;
import io.hrmstream.schemas.serde.RegistryAvroSerializer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.List;

/**
 * The tools' Kafka clients on the wire contract: keys are request ids as UTF-8 strings, values Avro in the Confluent
 * wire format through the registry serde, configured from the same {@link ClientSettings}.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    public static KafkaProducer<String, PuzzleRequest> requestProducer(ClientSettings settings, String clientId) {
        RegistryAvroSerializer<PuzzleRequest> values = new RegistryAvroSerializer<>(PuzzleRequest.class);
        values.configure(settings.serdeConfig(), false);
        return new KafkaProducer<>(settings.producerConfig(clientId), new StringSerializer(), values);
    }

    /** Values stay bytes here: {@link #solutionDeserializer} decodes each one so a bad record can be skipped. */
    public static KafkaConsumer<String, byte[]> solutionConsumer(ClientSettings settings, String clientId) {
        return new KafkaConsumer<>(settings.consumerConfig(clientId), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    public static Deserializer<PuzzleSolution> solutionDeserializer(ClientSettings settings) {
        RegistryAvroDeserializer<PuzzleSolution> values = new RegistryAvroDeserializer<>(PuzzleSolution.class);
        values.configure(settings.serdeConfig(), false);
        return values;
    }

    /**
     * Keys and values as bytes: a dead letter keeps the original key bytes, which need not be UTF-8, and a replay
     * must send them back unchanged.
     */
    public static KafkaConsumer<byte[], byte[]> rawConsumer(ClientSettings settings, String clientId) {
        return new KafkaConsumer<>(settings.consumerConfig(clientId), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    public static KafkaProducer<byte[], byte[]> rawProducer(ClientSettings settings, String clientId) {
        return new KafkaProducer<>(settings.producerConfig(clientId), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /**
     * Assigns every partition of the topic (no consumer group) and fixes the start positions, so that a record
     * written after this returns is read even when the partitions are empty now.
     *
     * @return the partitions assigned
     * @throws IllegalStateException when the topic does not exist
     */
    public static List<TopicPartition> assignAll(Consumer<?, ?> consumer, String topic, boolean fromBeginning) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist (yet): start the worker, which "
                    + "creates it, or point --bootstrap-servers at the right cluster");
        }
        List<TopicPartition> partitions = infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        // seekTo* is lazy; position() resolves it now, before anything is published
        partitions.forEach(consumer::position);
        return partitions;
    }
}
