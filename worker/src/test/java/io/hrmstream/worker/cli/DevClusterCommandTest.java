package io.hrmstream.worker.cli;

import io.hrmstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("slow")   // starts brokers or child JVMs: the slow lane
class DevClusterCommandTest {

    @Test
    void devClusterPrintsItsAddressesAndReadyServesKafkaAndTheRegistryAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, WorkerCli.class.getName(), "dev-cluster",
                "--kafka-port", "0", "--controller-port", "0", "--registry-port", "0", "--partitions", "3",
                "--data-dir", dir.resolve("data").toString())
                .redirectError(stderr.toFile())
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String bootstrap = null;
            String registry = null;
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
                if (line.startsWith("Kafka bootstrap servers:")) {
                    bootstrap = line.substring(line.indexOf(':') + 1).trim();
                } else if (line.startsWith("Schema registry URL:")) {
                    registry = line.substring(line.indexOf(':') + 1).trim();
                } else if (line.contains("ready")) {
                    break;
                }
            }
            assertNotNull(bootstrap, lines + "\n" + Files.readString(stderr));
            assertNotNull(registry, lines.toString());

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                Set<String> topics = admin.listTopics().names().get();
                assertTrue(topics.containsAll(Set.of(Topics.REQUESTS, Topics.SOLUTIONS, Topics.REQUESTS_DLQ)), topics.toString());
                assertEquals(3, admin.describeTopics(List.of(Topics.REQUESTS)).allTopicNames().get()
                        .get(Topics.REQUESTS).partitions().size());
            }
            HttpResponse<String> subjects = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(registry + "/subjects")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, subjects.statusCode());
            assertEquals("[]", subjects.body());

            process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stdout
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "dev-cluster did not stop within 60 s");
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        } finally {
            process.destroyForcibly();
        }
        assertEquals(143, process.exitValue(), "128 + SIGTERM");
        // printed by the shutdown hook only after the registry and the brokers have stopped
        assertTrue(lines.contains("dev-cluster stopped"), lines.toString());
    }

    @Test
    void otherBrokerCountsThanOneOrThreeAreAUsageError() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new WorkerCli()).setErr(new PrintWriter(err))
                .execute("dev-cluster", "--brokers", "2");
        assertEquals(2, exit);
        assertTrue(err.toString().contains("--brokers must be 1 or 3"), err.toString());
    }
}
