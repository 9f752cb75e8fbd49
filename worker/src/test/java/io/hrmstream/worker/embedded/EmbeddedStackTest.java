package io.hrmstream.worker.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.Topics;
import io.hrmstream.schemas.serde.RegistryAvroDeserializer;
import io.hrmstream.schemas.serde.RegistryAvroSerializer;
import io.hrmstream.schemas.serde.SerdeConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Tag("slow")   // starts brokers or child JVMs: the slow lane
class EmbeddedStackTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRequestPublishedThroughTheRegistrySerdeIsReadBackAndItsSchemaIdSurvivesARestart(@TempDir Path dataDir) throws Exception {
        EmbeddedStackConfig config = EmbeddedStackConfig.ephemeral(dataDir).withPartitions(2);
        PuzzleRequest request = PuzzleRequest.newBuilder()
                .setId("r-1").setTask("sudoku").setPuzzleId(0)
                .setGrid(Grid.newBuilder().setRows(1).setCols(3).setCells(ByteBuffer.wrap(new byte[] {0, 5, 9})).build())
                .build();
        int schemaId;
        try (EmbeddedStack stack = EmbeddedStack.start(config)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                Map<String, TopicDescription> topics = admin.describeTopics(
                        List.of(Topics.REQUESTS, Topics.SOLUTIONS, Topics.REQUESTS_DLQ)).allTopicNames().get();
                topics.values().forEach(topic -> assertEquals(2, topic.partitions().size(), topic.name()));
            }
            publish(stack, request);
            assertEquals(request, readOne(stack));
            schemaId = latest(stack.registryUrl(), "hrm.requests-value").get("id").asInt();
        }
        try (EmbeddedStack restarted = EmbeddedStack.start(config)) {
            assertEquals(schemaId, latest(restarted.registryUrl(), "hrm.requests-value").get("id").asInt());
            assertEquals(request, readOne(restarted));
        }
    }

    static void publish(EmbeddedStack stack, PuzzleRequest request) throws Exception {
        RegistryAvroSerializer<PuzzleRequest> serializer = new RegistryAvroSerializer<>(PuzzleRequest.class);
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl()), false);
        try (KafkaProducer<String, PuzzleRequest> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(Topics.REQUESTS, request.getId(), request)).get();
        }
    }

    static PuzzleRequest readOne(EmbeddedStack stack) {
        RegistryAvroDeserializer<PuzzleRequest> deserializer = new RegistryAvroDeserializer<>(PuzzleRequest.class);
        deserializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl()), false);
        try (KafkaConsumer<String, PuzzleRequest> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringDeserializer(), deserializer)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.REQUESTS).stream()
                    .map(info -> new TopicPartition(Topics.REQUESTS, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, PuzzleRequest> record : consumer.poll(Duration.ofMillis(200))) {
                    assertEquals(record.value().getId(), record.key());
                    return record.value();
                }
            }
        }
        throw new AssertionError("nothing on " + Topics.REQUESTS + " within 30 s");
    }

    static JsonNode latest(String registryUrl, String subject) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/" + subject + "/versions/latest")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
