package io.hrmstream.tools.kafka;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.serde.RegistryAvroDeserializer;
import io.hrmstream.schemas.serde.RegistryAvroSerializer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

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
}
