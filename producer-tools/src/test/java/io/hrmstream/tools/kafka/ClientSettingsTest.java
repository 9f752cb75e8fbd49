package io.hrmstream.tools.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientSettingsTest {

    @TempDir
    Path dir;

    @Test
    void overridesBeatTheFileAndTheFileBeatsTheFlags() throws IOException {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "bootstrap.servers=broker:9092\nlinger.ms=50\nbasic.auth.user.info=u:p\n");
        ClientSettings settings = ClientSettings.of("127.0.0.1:9092", "http://127.0.0.1:8081", file,
                Map.of("linger.ms", "5"));
        assertEquals("broker:9092", settings.bootstrapServers());
        assertEquals("http://127.0.0.1:8081", settings.registryUrl());
        assertEquals("5", settings.producerConfig("p").get(ProducerConfig.LINGER_MS_CONFIG));
    }

    @Test
    void theRegistrysKeysGoToTheSerdeOnlyAndKafkasKeysToBoth() throws IOException {
        ClientSettings settings = ClientSettings.of("b:9092", "http://r:8081", null,
                Map.of("basic.auth.user.info", "u:p", "auto.register.schemas", "false", "acks", "all"));
        Map<String, Object> producer = settings.producerConfig("p");
        assertFalse(producer.containsKey("schema.registry.url"));
        assertFalse(producer.containsKey("basic.auth.user.info"));
        assertFalse(producer.containsKey("auto.register.schemas"));
        assertEquals("all", producer.get("acks"));
        Map<String, Object> serde = settings.serdeConfig();
        assertEquals("http://r:8081", serde.get("schema.registry.url"));
        assertEquals("u:p", serde.get("basic.auth.user.info"));
    }

    @Test
    void theConsumerReadsOnlyCommittedSolutionsAndCommitsNothing() throws IOException {
        Map<String, Object> consumer = ClientSettings.of("b:9092", "http://r:8081", null, Map.of())
                .consumerConfig("c");
        assertEquals("read_committed", consumer.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals(false, consumer.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertFalse(consumer.containsKey(ConsumerConfig.GROUP_ID_CONFIG));
    }

    @Test
    void aPairWithoutEqualsSignIsRefusedWithTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientSettings.parsePair("linger.ms"));
        assertTrue(e.getMessage().contains("'linger.ms'"));
        assertEquals(Map.entry("a", "b=c"), ClientSettings.parsePair("a=b=c"));
    }

    @Test
    void aMissingPropertiesFileIsNamedInTheError() {
        Path missing = dir.resolve("nope.properties");
        IOException e = assertThrows(IOException.class,
                () -> ClientSettings.of("b:9092", "http://r:8081", missing, Map.of()));
        assertTrue(e.getMessage().contains(missing.toString()));
    }
}
