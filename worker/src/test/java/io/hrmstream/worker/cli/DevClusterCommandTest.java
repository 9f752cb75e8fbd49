package io.hrmstream.worker.cli;

import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.embedded.EmbeddedKafkaClusterTest;
import io.hrmstream.worker.testing.WorkerCliProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("slow")   // starts brokers or child JVMs: the slow lane
class DevClusterCommandTest {

    @Test
    void devClusterPrintsItsAddressesAndReadyServesKafkaAndTheRegistryAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        try (WorkerCliProcess process = WorkerCliProcess.start(dir, "dev-cluster", List.of(), "dev-cluster",
                "--kafka-port", "0", "--controller-port", "0", "--registry-port", "0", "--partitions", "3",
                "--data-dir", dir.resolve("data").toString())) {
            process.awaitReady();
            final String bootstrap = printed(process, "Kafka bootstrap servers:");
            final String registry = printed(process, "Schema registry URL:");

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                Set<String> topics = admin.listTopics().names().get();
                assertTrue(topics.containsAll(Set.of(Topics.REQUESTS, Topics.SOLUTIONS, Topics.REQUESTS_DLQ)), topics.toString());
                assertEquals(3, admin.describeTopics(List.of(Topics.REQUESTS)).allTopicNames().get()
                        .get(Topics.REQUESTS).partitions().size());
            }
            HttpResponse<String> subjects = get(registry + "/subjects");
            assertEquals(200, subjects.statusCode());
            assertEquals("[]", subjects.body());

            assertEquals(143, process.terminate(), "128 + SIGTERM");
            // printed by the shutdown hook only after the registry and the brokers have stopped
            assertTrue(process.stdoutLines().contains("dev-cluster stopped"), process.output());
        }
    }

    /**
     * {@code --broker-processes --no-registry} and {@code --registry-only}: a broker killed with SIGKILL leaves the
     * other two serving (replication factor 3, min.insync.replicas 2) and comes back with the command dev-cluster
     * printed for it; the registry stopped and started again on its port serves the ids it gave before.
     */
    @Test
    void eachBrokerAndTheRegistryRunAsProcessesOfTheirOwnThatCanBeKilledAndRestarted(@TempDir Path dir) throws Exception {
        final Path data = dir.resolve("data");
        try (WorkerCliProcess cluster = WorkerCliProcess.start(dir, "dev-cluster", List.of(), "dev-cluster",
                "--brokers", "3", "--broker-processes", "--no-registry", "--kafka-port", "0", "--controller-port", "0",
                "--partitions", "2", "--data-dir", data.toString())) {
            cluster.awaitReady();
            final String bootstrap = printed(cluster, "Kafka bootstrap servers:");
            final Matcher broker2 = cluster.awaitLine(NODE_LINE_OF_BROKER_2, Duration.ofSeconds(1));
            final ProcessHandle killed = ProcessHandle.of(Long.parseLong(broker2.group(1))).orElseThrow();
            assertTrue(cluster.stdoutLines().stream().anyMatch(line -> line.startsWith("Node controller-0: pid ")),
                    cluster.output());

            final int registryPort = freePort();
            final String registryUrl = "http://127.0.0.1:" + registryPort;
            final String id;
            try (WorkerCliProcess registry = registryOnly(dir, "registry", bootstrap, registryPort)) {
                registry.awaitReady();
                assertEquals(registryUrl, printed(registry, "Schema registry URL:"));
                final HttpResponse<String> registered = post(registryUrl + "/subjects/probe-value/versions",
                        "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Probe\\\",\\\"fields\\\":[]}\"}");
                assertEquals(200, registered.statusCode(), registered.body());
                id = registered.body().replaceAll("\\D", "");
                assertEquals(143, registry.terminate());
            }

            killed.destroyForcibly();   // SIGKILL broker 2
            killed.onExit().get(30, TimeUnit.SECONDS);
            // two replicas left: writes with acks=all still succeed, and the registry starts on them
            final List<String> sent = EmbeddedKafkaClusterTest.produce(bootstrap, Topics.REQUESTS, 20);
            try (WorkerCliProcess registry = registryOnly(dir, "registry-again", bootstrap, registryPort)) {
                registry.awaitReady();
                final HttpResponse<String> schema = get(registryUrl + "/schemas/ids/" + id);
                assertEquals(200, schema.statusCode(), "the restarted registry serves id " + id + " again");
                assertTrue(schema.body().contains("Probe"), schema.body());
                registry.terminate();
            }

            // the printed command brings broker 2 back on its port and data
            final Process restarted = new ProcessBuilder(broker2.group(2).split(" "))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("broker-2-again.log").toFile()).start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (admin.describeCluster().nodes().get().size() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertEquals(3, admin.describeCluster().nodes().get().size(), "broker 2 is back");
            } finally {
                restarted.destroy();
                restarted.waitFor(60, TimeUnit.SECONDS);
            }
            assertEquals(sent, EmbeddedKafkaClusterTest.readFromStart(bootstrap, Topics.REQUESTS, sent.size())
                    .stream().sorted().toList());

            final List<ProcessHandle> nodes = cluster.stdoutLines().stream().filter(line -> line.startsWith("Node "))
                    .map(line -> ProcessHandle.of(Long.parseLong(line.replaceAll("^Node \\S+: pid (\\d+).*", "$1"))))
                    .flatMap(java.util.Optional::stream).toList();
            assertEquals(143, cluster.terminate(), "128 + SIGTERM");
            assertTrue(nodes.stream().noneMatch(ProcessHandle::isAlive), "dev-cluster stops its node processes");
        }
    }

    @Test
    void otherBrokerCountsThanOneOrThreeAreAUsageError() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new WorkerCli()).setErr(new PrintWriter(err))
                .execute("dev-cluster", "--brokers", "2");
        assertEquals(2, exit);
        assertTrue(err.toString().contains("--brokers must be 1 or 3"), err.toString());
    }

    @Test
    void registryOnlyNeedsTheClusterItKeepsItsStateIn() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new WorkerCli()).setErr(new PrintWriter(err)).execute("dev-cluster", "--registry-only");
        assertEquals(2, exit);
        assertTrue(err.toString().contains("--registry-only needs --bootstrap"), err.toString());
    }

    private static final Pattern NODE_LINE_OF_BROKER_2 =
            Pattern.compile("^Node broker-2: pid (\\d+), .* restart it with: (.*)$");

    private static WorkerCliProcess registryOnly(Path dir, String name, String bootstrap, int port) {
        return WorkerCliProcess.start(dir, name, WorkerCliProcess.SMALL_JVM, "dev-cluster", "--registry-only",
                "--bootstrap", bootstrap, "--registry-port", Integer.toString(port));
    }

    /** The value of the stdout line starting with {@code label}. */
    private static String printed(WorkerCliProcess process, String label) {
        return process.stdoutLines().stream().filter(line -> line.startsWith(label))
                .map(line -> line.substring(label.length()).trim()).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + label + "\n" + process.output()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
