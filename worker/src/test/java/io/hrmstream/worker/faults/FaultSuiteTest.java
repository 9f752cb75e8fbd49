package io.hrmstream.worker.faults;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.Topics;
import io.hrmstream.schemas.serde.ConfluentWireFormat;
import io.hrmstream.schemas.serde.RegistryAvroSerializer;
import io.hrmstream.schemas.serde.SerdeConfig;
import io.hrmstream.worker.embedded.EmbeddedKafkaConfig;
import io.hrmstream.worker.embedded.KafkaNodeProcesses;
import io.hrmstream.worker.embedded.TopicSetup;
import io.hrmstream.worker.testing.FuzzedRecords;
import io.hrmstream.worker.testing.WorkerCliProcess;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The faults a deployment meets, one after another, on one cluster and one worker, each under valid traffic: poison
 * and fuzzed records, the schema registry process stopped and started again, one of three broker processes killed
 * and restarted, the worker killed with a full engine and started again, and a soak. Each scenario prints one row:
 * valid requests sent, answered once, duplicated, lost, and the dead letters, REJECTED answers and worker restarts
 * it caused. Every valid request must be answered exactly once, and the worker must never exit except where the
 * scenario kills it.
 *
 * <p>The cluster is what {@code dev-cluster --brokers 3 --broker-processes --no-registry} runs (three broker
 * processes and a controller process, replication factor 3, {@code min.insync.replicas} 2), the registry is
 * {@code dev-cluster --registry-only} in a JVM of its own, and the worker is {@code hrm-worker run} with the shipped
 * sudoku model in another, with the session and transaction timeouts lowered so that the kill scenario waits 6 s
 * rather than 45 s for the group to notice.
 *
 * <p>{@code -Dhrm.faults.long=true} runs the long variant: 100,000 fuzzed records, the registry down 60 s (so the
 * waiting stream thread is also replaced once), a broker down 60 s, and a 30-minute soak; {@code hrm.faults.fuzzedRecords},
 * {@code .registryDownSeconds}, {@code .brokerDownSeconds} and {@code .soakSeconds} set each on its own.
 */
@Tag("slow")   // child JVMs: four Kafka nodes, a registry, a worker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteTest {

    private static final boolean LONG = Boolean.getBoolean("hrm.faults.long");
    // each can also be set on its own, e.g. -Dhrm.faults.soakSeconds=300
    private static final int FUZZED_RECORDS = Integer.getInteger("hrm.faults.fuzzedRecords", LONG ? 100_000 : 400);
    private static final Duration REGISTRY_DOWN =
            Duration.ofSeconds(Integer.getInteger("hrm.faults.registryDownSeconds", LONG ? 60 : 15));
    private static final Duration BROKER_DOWN =
            Duration.ofSeconds(Integer.getInteger("hrm.faults.brokerDownSeconds", LONG ? 60 : 10));
    private static final Duration SOAK = Duration.ofSeconds(Integer.getInteger("hrm.faults.soakSeconds", LONG ? 1_800 : 45));
    /** Valid requests per second while a fault happens: well within what the model answers on two cores. */
    private static final int RATE = 8;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(LONG ? 1_800 : 180);
    private static final Pattern METRICS_PORT = Pattern.compile("metrics on port (\\d+)");
    /** Prefixes of the valid request ids of every scenario but the fuzzer's: their answers are not strays. */
    private static final List<String> SCENARIO_PREFIXES = List.of("reg-", "broker-", "kill-", "soak-");

    @TempDir
    static Path dir;

    private KafkaNodeProcesses cluster;
    private int registryPort;
    private String registryUrl;
    private WorkerCliProcess registry;
    private WorkerCliProcess worker;
    private int workerStarts;
    private int restartsBefore;
    /** {@code hrm_stream_threads_replaced_total} of the running worker when the last row was written. */
    private double threadsReplacedBefore;
    private SolutionLedger ledger;
    private final List<String> rows = new ArrayList<>();

    @BeforeAll
    void startClusterRegistryAndWorker() throws Exception {
        cluster = KafkaNodeProcesses.start(EmbeddedKafkaConfig.ephemeral(dir.resolve("kafka")).withBrokers(3)
                // abort a killed worker's open transaction within a second of its timeout (default: every 10 s)
                .withBrokerOverrides(Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            TopicSetup.ensureExist(admin, TopicSetup.newTopics(3, cluster.topicReplication()));
        }
        registryPort = freePort();
        registryUrl = "http://127.0.0.1:" + registryPort;
        registry = startRegistry("registry");
        worker = WorkerCliProcess.start(dir, "worker", List.of("-Xmx1g"), "run",
                "--bootstrap", cluster.bootstrapServers(), "--registry", registryUrl,
                "--worker-id", "w1", "--metrics-port", "0", "--data-dir", dir.resolve("w1").toString(),
                "--threads", "1", "--batch", "16",
                // a killed worker's partitions are taken over after 6 s (the broker's minimum), not 45 s
                "-p", "session.timeout.ms=6000", "-p", "heartbeat.interval.ms=1000",
                "-p", "producer.transaction.timeout.ms=5000");
        workerStarts = 1;
        worker.awaitReady();
        ledger = new SolutionLedger(cluster.bootstrapServers(), registryUrl);
        rows.add("| scenario | sent | answered once | duplicated | lost | DLQ | REJECTED | worker restarts "
                + "| stream threads replaced | time |");
        rows.add("|---|---|---|---|---|---|---|---|---|---|");
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (rows.size() > 2) {
            System.out.println("fault suite (" + (LONG ? "long" : "CI") + " variant):");
            rows.forEach(System.out::println);
            Files.write(Path.of("target", "fault-suite.md"), rows);
        }
        if (ledger != null) ledger.close();
        if (worker != null) worker.close();
        if (registry != null) registry.close();
        if (cluster != null) cluster.close();
    }

    /**
     * Oversized garbage, a 600 KB task, a 600 KB id, oversized attributes, and the fuzzer's random and mutated
     * Confluent-framed records, among valid requests: each valid request answered once, each other record
     * dead-lettered or answered (REJECTED when decodable but invalid), none lost, the worker still up.
     */
    @Test
    @Order(1)
    void poisonAndFuzzedRecordsAmongValidTraffic() throws Exception {
        final long started = System.nanoTime();
        final RegistryAvroSerializer<PuzzleRequest> serializer = requestSerializer();
        final FuzzedRecords fuzzer = new FuzzedRecords(20261203, i ->
                serializer.serialize(Topics.REQUESTS, ValidTraffic.request("fz-mut-" + i, i)));
        final Set<String> valid = new HashSet<>();
        int garbage = 0;
        try (ValidTraffic traffic = new ValidTraffic(cluster.bootstrapServers(), registryUrl);
             KafkaProducer<byte[], byte[]> raw = rawProducer()) {
            // the four poison kinds: one oversized undecodable record, three decodable ones past RequestLimits
            // over the dead-letter limit (1,000,000 bytes of key and value), under the broker's (1 MiB + 12 bytes
            // for the whole batch)
            final byte[] oversized = new byte[1_048_400];
            Arrays.fill(oversized, (byte) 0x7f);
            raw.send(record("fz-big", oversized)).get();
            final String big = "x".repeat(600_000);
            final Map<String, String> attributes = new HashMap<>();
            for (int a = 0; a < 100; a++) {
                attributes.put("attribute-" + a + "-" + "k".repeat(300), "v".repeat(5_000));
            }
            for (final PuzzleRequest poison : List.of(
                    ValidTraffic.requestBuilder("fz-poison-task", 0).setTask(big).build(),
                    ValidTraffic.request("fz-poison-id-" + big, 0),
                    ValidTraffic.requestBuilder("fz-poison-attributes", 0).setAttributes(attributes).build())) {
                raw.send(record(poison.getId().substring(0, Math.min(40, poison.getId().length())),
                        serializer.serialize(Topics.REQUESTS, poison))).get();
            }
            garbage += 4;
            for (int i = 0; i < FUZZED_RECORDS; i++) {
                final FuzzedRecords.Fuzzed fuzzed = fuzzer.next(i);
                if (fuzzed.kind() == FuzzedRecords.Kind.VALID) {
                    traffic.send("fz-valid");
                } else {
                    raw.send(record("fz-" + i, fuzzed.value()));
                    garbage++;
                }
            }
            traffic.stop();
            raw.flush();
            valid.addAll(traffic.sent());
            assertEquals(0, traffic.failedSends());
        }
        final int others = garbage;
        assertTrue(SolutionLedger.await(() -> ledger.unanswered(valid) == 0
                && ledger.deadLetters("fz-") + strays(valid) >= others, ANSWER_TIMEOUT), "answered "
                + ledger.answeredOnce(valid) + " of " + valid.size() + "; dead letters " + ledger.deadLetters("fz-")
                + " + other answers " + strays(valid) + " of " + others);
        settle();
        final long deadLetters = ledger.deadLetters("fz-");
        final long strays = strays(valid);
        // an undecodable record is dead-lettered, a decodable one answered: each once, so together exactly as many
        assertEquals(garbage, deadLetters + strays, "every poison record dead-lettered (" + deadLetters
                + ") or answered (" + strays + ")");
        row("poison + fuzz (" + FUZZED_RECORDS + " fuzzed + 4 poison kinds)", valid.size() + garbage, valid,
                deadLetters, ledger.rejectedWhere(id -> !valid.contains(id) && isStray(id)), started);
    }

    /**
     * The registry process is killed and started again on its port {@link #REGISTRY_DOWN} later, while requests
     * keep coming, among them some with a writer schema the worker has not seen yet (a newer, compatible version
     * of the request schema): those wait on the stream thread for the registry, and are neither dead-lettered nor
     * skipped; the restarted registry serves the same ids from its topic.
     */
    @Test
    @Order(2)
    void registryStoppedAndRestartedUnderLoad() throws Exception {
        final long started = System.nanoTime();
        final Set<String> valid = new HashSet<>();
        final int newerSchemaId = registerNewerRequestSchema();
        // framed while the registry is up: the serializer fetches the current schema's id now
        final RegistryAvroSerializer<PuzzleRequest> serializer = requestSerializer();
        final Map<String, byte[]> newer = new HashMap<>();
        for (int n = 0; n < 5; n++) {
            newer.put("reg-newer-" + n, newerSchemaFraming(serializer, newerSchemaId, "reg-newer-" + n, n));
        }
        try (ValidTraffic traffic = new ValidTraffic(cluster.bootstrapServers(), registryUrl);
             KafkaProducer<byte[], byte[]> raw = rawProducer()) {
            traffic.send("reg-warm");   // the producer's serializer caches the schema id before the outage
            traffic.startSteady("reg", RATE);
            Thread.sleep(3_000);
            registry.kill();
            final long downAt = System.nanoTime();
            // written with the newer schema: the worker must fetch its id from the registry that is down
            for (final Map.Entry<String, byte[]> request : newer.entrySet()) {
                raw.send(record(request.getKey(), request.getValue())).get();
                valid.add(request.getKey());
            }
            TimeUnit.NANOSECONDS.sleep(REGISTRY_DOWN.toNanos() - (System.nanoTime() - downAt));
            registry = startRegistry("registry-again");
            assertEquals(200, httpGet(registryUrl + "/schemas/ids/" + newerSchemaId).statusCode(),
                    "the restarted registry serves the ids it gave before");
            Thread.sleep(5_000);
            traffic.stop();
            valid.addAll(traffic.sent());
            assertEquals(0, traffic.failedSends());
        }
        awaitAnswered(valid);
        settle();
        row("registry process killed " + REGISTRY_DOWN.toSeconds() + " s, restarted", valid.size(), valid,
                ledger.deadLetters("reg-"), ledger.rejectedWhere(valid::contains), started);
        assertEquals(0, ledger.deadLetters("reg-"), "an outage is not a bad record");
    }

    /**
     * The broker leading partition 0 of {@code hrm.requests} is killed (SIGKILL, no controlled shutdown) under load
     * and restarted {@link #BROKER_DOWN} later: two replicas of three stay in sync, so writes with acks=all go on,
     * and the worker's transactions move to the new leaders.
     */
    @Test
    @Order(3)
    void oneOfThreeBrokersKilledUnderLoadAndRestarted() throws Exception {
        final long started = System.nanoTime();
        final Set<String> valid = new HashSet<>();
        final int victim;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            victim = admin.describeTopics(List.of(Topics.REQUESTS)).allTopicNames().get().get(Topics.REQUESTS)
                    .partitions().get(0).leader().id();
        }
        final int failedSends;
        try (ValidTraffic traffic = new ValidTraffic(cluster.bootstrapServers(), registryUrl)) {
            traffic.startSteady("broker", RATE);
            Thread.sleep(3_000);
            cluster.kill(victim);
            Thread.sleep(BROKER_DOWN.toMillis());
            cluster.restart(victim);
            Thread.sleep(5_000);
            traffic.stop();
            valid.addAll(traffic.sent());
            failedSends = traffic.failedSends();
        }
        awaitAnswered(valid);
        settle();
        row("broker " + victim + " of 3 SIGKILLed " + BROKER_DOWN.toSeconds() + " s, restarted", valid.size(), valid,
                ledger.deadLetters("broker-"), ledger.rejectedWhere(valid::contains), started);
        assertEquals(0, failedSends, "the producer's retries outlast a leader election");
    }

    /**
     * The worker is killed (SIGKILL) while its engine is full (requests queued behind every slot) and started
     * again on the same state directory: what it had in flight is in its changelogged store, so the restarted
     * worker solves it again and the aborted transaction hides anything half-written.
     */
    @Test
    @Order(4)
    void workerKilledWithAFullEngineAndRestarted() throws Exception {
        final long started = System.nanoTime();
        final Set<String> valid = new HashSet<>();
        final int metricsPort = metricsPort();
        try (ValidTraffic traffic = new ValidTraffic(cluster.bootstrapServers(), registryUrl)) {
            for (int n = 0; n < 200; n++) {
                traffic.send("kill");
            }
            traffic.stop();
            valid.addAll(traffic.sent());
        }
        assertTrue(SolutionLedger.await(() -> engineQueueDepth(metricsPort) > 0, Duration.ofSeconds(60)),
                "the engine fills up: every slot taken and requests queued");
        final long answeredBefore = valid.size() - ledger.unanswered(valid);
        threadsReplacedBefore -= workerMetric(metricsPort, "hrm_stream_threads_replaced_total");
        worker.kill();
        worker = worker.startAgain("worker-again");
        workerStarts++;
        worker.awaitReady();
        awaitAnswered(valid);
        settle();
        System.out.printf("worker killed with %d of %d requests answered; the rest answered after its restart%n",
                answeredBefore, valid.size());
        row("worker SIGKILLed with a full engine, restarted", valid.size(), valid, ledger.deadLetters("kill-"),
                ledger.rejectedWhere(valid::contains), started);
    }

    /** Steady valid traffic for {@link #SOAK}: nothing lost, nothing twice, the worker up throughout. */
    @Test
    @Order(5)
    void soak() throws Exception {
        final long started = System.nanoTime();
        final Set<String> valid = new HashSet<>();
        try (ValidTraffic traffic = new ValidTraffic(cluster.bootstrapServers(), registryUrl)) {
            traffic.startSteady("soak", RATE);
            final long end = System.nanoTime() + SOAK.toNanos();
            while (System.nanoTime() < end) {
                assertTrue(worker.isAlive(), worker.output());
                Thread.sleep(1_000);
            }
            traffic.stop();
            valid.addAll(traffic.sent());
            assertEquals(0, traffic.failedSends());
        }
        awaitAnswered(valid);
        settle();
        row("soak " + SOAK.toSeconds() + " s at " + RATE + " requests/s", valid.size(), valid,
                ledger.deadLetters("soak-"), ledger.rejectedWhere(valid::contains), started);
    }

    /** Adds the scenario's row, after asserting what every scenario promises. */
    private void row(final String scenario, final long sent, final Set<String> valid, final long deadLetters,
                     final long rejected, final long startedNanos) throws Exception {
        final long once = ledger.answeredOnce(valid);
        final long duplicated = ledger.duplicated(valid);
        final long lost = ledger.unanswered(valid);
        final int restarts = workerStarts - 1 - restartsBefore;
        restartsBefore = workerStarts - 1;
        // the counter of the worker now running, plus that of any killed in this scenario (subtracted before)
        final double replacedSoFar = workerMetric(metricsPort(), "hrm_stream_threads_replaced_total");
        final long replaced = Math.round(replacedSoFar - threadsReplacedBefore);
        threadsReplacedBefore = replacedSoFar;
        final String row = String.format("| %s | %,d | %,d | %d | %d | %,d | %,d | %d | %d | %d s |", scenario, sent,
                once, duplicated, lost, deadLetters, rejected, restarts, replaced,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos));
        rows.add(row);
        System.out.println(row);
        assertEquals(valid.size(), once, "every valid request answered exactly once");
        assertEquals(0, duplicated);
        assertEquals(0, lost);
        // the restarts column counts the starts this test made (only where a scenario kills the worker); that no
        // fault made the worker exit on its own is the process's being alive
        assertTrue(worker.isAlive(), "no fault makes the worker exit:\n" + worker.output());
        assertEquals(0, SCENARIO_PREFIXES.stream().filter(p -> ledger.deadLetters(p) > 0).count(),
                "no valid request is dead-lettered");
    }

    /** Waits until every one of {@code valid} is answered, or fails naming how many were not. */
    private void awaitAnswered(final Set<String> valid) throws InterruptedException {
        assertTrue(SolutionLedger.await(() -> ledger.unanswered(valid) == 0, ANSWER_TIMEOUT),
                ledger.unanswered(valid) + " of " + valid.size() + " unanswered after " + ANSWER_TIMEOUT + "\n"
                        + worker.output());
    }

    /** A little longer: a duplicate, if any, would arrive now. */
    private static void settle() throws InterruptedException {
        Thread.sleep(2_000);
    }

    /** Answers to requests that are not valid requests of any scenario: to the fuzzer's decodable records. */
    private long strays(final Set<String> fuzzValid) {
        return ledger.solutionsWhere(id -> !fuzzValid.contains(id) && isStray(id));
    }

    private static boolean isStray(final String requestId) {
        return SCENARIO_PREFIXES.stream().noneMatch(requestId::startsWith);
    }

    private WorkerCliProcess startRegistry(final String name) throws InterruptedException {
        final WorkerCliProcess started = WorkerCliProcess.start(dir, name, WorkerCliProcess.SMALL_JVM, "dev-cluster",
                "--registry-only", "--bootstrap", cluster.bootstrapServers(), "--registry-port",
                Integer.toString(registryPort));
        started.awaitReady();
        return started;
    }

    /**
     * Registers the request schema with one more optional field under {@code hrm.requests-value} (a compatible
     * new version, as a newer client would) and returns its id.
     */
    private int registerNewerRequestSchema() throws Exception {
        final ObjectMapper json = new ObjectMapper();
        final ObjectNode schema = (ObjectNode) json.readTree(PuzzleRequest.getClassSchema().toString());
        ((ArrayNode) schema.get("fields")).addObject().put("name", "faultProbe").put("default", (String) null)
                .putArray("type").add("null").add("string");
        final String newer = json.writeValueAsString(schema);
        new Schema.Parser().parse(newer);   // a valid schema, or fail here rather than in the registry
        final String body = json.writeValueAsString(json.createObjectNode().put("schema", newer));
        final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(registryUrl + "/subjects/" + Topics.REQUESTS + "-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Integer.parseInt(response.body().replaceAll("\\D", ""));
    }

    /**
     * A valid request in the newer schema's framing. Its one extra field is last and null, and Avro writes a
     * record's fields in order with a null union branch as the single byte 0: so the newer encoding is the current
     * one plus that byte.
     */
    private static byte[] newerSchemaFraming(final RegistryAvroSerializer<PuzzleRequest> current, final int schemaId,
                                             final String id, final int n) {
        final byte[] avro = ConfluentWireFormat.decode(current.serialize(Topics.REQUESTS, ValidTraffic.request(id, n)))
                .avro();
        return new ConfluentWireFormat(schemaId, Arrays.copyOf(avro, avro.length + 1)).encode();
    }

    private RegistryAvroSerializer<PuzzleRequest> requestSerializer() {
        final RegistryAvroSerializer<PuzzleRequest> serializer = new RegistryAvroSerializer<>(PuzzleRequest.class);
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl), false);
        return serializer;
    }

    private KafkaProducer<byte[], byte[]> rawProducer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                // room for the oversized record: just under the broker's limit of 1 MiB + 12 bytes
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<byte[], byte[]> record(final String key, final byte[] value) {
        return new ProducerRecord<>(Topics.REQUESTS, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private int metricsPort() throws InterruptedException {
        return Integer.parseInt(worker.awaitLine(METRICS_PORT, Duration.ofSeconds(1)).group(1));
    }

    /** The worker's {@code hrm_engine_queue_depth}: requests waiting for a free slot. */
    private static double engineQueueDepth(final int metricsPort) {
        try {
            return workerMetric(metricsPort, "hrm_engine_queue_depth");
        } catch (final Exception e) {
            return 0;
        }
    }

    /** A meter of the worker's {@code /metrics}, summed over its label sets. */
    private static double workerMetric(final int metricsPort, final String name) throws IOException, InterruptedException {
        final Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? (\\S+)$")
                .matcher(httpGet("http://127.0.0.1:" + metricsPort + "/metrics").body());
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return sum;
    }

    private static HttpResponse<String> httpGet(final String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
