package io.hrmstream.worker.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.PuzzleRequest;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedStackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aRequestPublishedInConfluentWireFormatIsReadBackAndTheSchemaSurvivesARestart(@TempDir Path dataDir) throws Exception {
        EmbeddedStackConfig config = EmbeddedStackConfig.ephemeral(dataDir).withPartitions(2);
        int schemaId;
        try (EmbeddedStack stack = EmbeddedStack.start(config)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                Map<String, TopicDescription> topics = admin.describeTopics(
                        List.of(HrmTopics.REQUESTS, HrmTopics.SOLUTIONS, HrmTopics.REQUESTS_DLQ)).allTopicNames().get();
                topics.values().forEach(topic -> assertEquals(2, topic.partitions().size(), topic.name()));
            }
            schemaId = register(stack.registryUrl(), "hrm.requests-value", PuzzleRequest.getClassSchema());

            PuzzleRequest request = PuzzleRequest.newBuilder()
                    .setId("r-1").setTask("sudoku").setPuzzleId(0)
                    .setGrid(Grid.newBuilder().setRows(1).setCols(3).setCells(ByteBuffer.wrap(new byte[] {0, 5, 9})).build())
                    .build();
            publish(stack.bootstrapServers(), request.getId(), wireFormat(schemaId, request));

            byte[] value = readOne(stack.bootstrapServers(), HrmTopics.REQUESTS);
            ByteBuffer buffer = ByteBuffer.wrap(value);
            assertEquals(0, buffer.get(), "magic byte");
            int writerId = buffer.getInt();
            assertEquals(schemaId, writerId);
            Schema writer = new Schema.Parser().parse(get(stack.registryUrl() + "/schemas/ids/" + writerId).get("schema").asText());
            GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer)
                    .read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
            assertEquals("r-1", decoded.get("id").toString());
            assertEquals("sudoku", decoded.get("task").toString());
        }
        try (EmbeddedStack restarted = EmbeddedStack.start(config)) {
            JsonNode latest = get(restarted.registryUrl() + "/subjects/hrm.requests-value/versions/latest");
            assertEquals(schemaId, latest.get("id").asInt());
            assertTrue(readOne(restarted.bootstrapServers(), HrmTopics.REQUESTS).length > 5);
        }
    }

    static int register(String registryUrl, String subject, Schema schema) throws Exception {
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("schema", schema.toString()));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("id").asInt();
    }

    static JsonNode get(String url) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Byte 0, the schema id as 4 big-endian bytes, then the Avro binary encoding. */
    static byte[] wireFormat(int schemaId, PuzzleRequest request) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(PuzzleRequest.class).write(request, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    static void publish(String bootstrap, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(HrmTopics.REQUESTS, key, value)).get();
        }
    }

    static byte[] readOne(String bootstrap, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    return record.value();
                }
            }
        }
        throw new AssertionError("nothing on " + topic + " within 30 s");
    }
}
