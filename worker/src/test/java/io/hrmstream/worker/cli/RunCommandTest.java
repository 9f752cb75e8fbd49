package io.hrmstream.worker.cli;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.schemas.Topics;
import io.hrmstream.schemas.serde.RegistryAvroDeserializer;
import io.hrmstream.schemas.serde.RegistryAvroSerializer;
import io.hrmstream.schemas.serde.SerdeConfig;
import io.hrmstream.puzzles.data.MazeGenerator;
import io.hrmstream.puzzles.data.MazePuzzle;
import io.hrmstream.worker.stream.WorkerConfig;
import io.hrmstream.worker.testing.WorkerCliProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("slow")   // starts brokers or child JVMs: the slow lane
class RunCommandTest {

    private static final Pattern READY =
            Pattern.compile("ready: .* at (\\S+), schema registry (\\S+) \\(.*metrics on port (\\d+)");

    @Test
    void runEmbeddedWithTheShippedModelsSaysReadyAnswersBothTasksServesMetricsAndHealthAndExitsZeroOnSigterm(@TempDir Path dir) throws Exception {
        try (WorkerCliProcess process = WorkerCliProcess.start(dir, "run", List.of(), "run", "--embedded",
                "--kafka-port", "0", "--controller-port", "0", "--registry-port", "0", "--partitions", "2",
                "--data-dir", dir.resolve("data").toString(), "--threads", "1", "--batch", "8", "--metrics-port", "0")) {
            final Matcher ready = process.awaitLine(READY, Duration.ofSeconds(120));

            final PuzzleSolution answer = roundTrip(ready.group(1), ready.group(2), sudoku());
            assertTrue(answer.getStatus() == SolveStatus.SOLVED || answer.getStatus() == SolveStatus.INVALID,
                    "the shipped model answered: " + answer);
            assertTrue(answer.getModel().matches("hrm-sudoku@[0-9a-f]{8}"),
                    "the shipped model's name and the digest of its weights: " + answer.getModel());
            assertNotNull(answer.getSolution());
            assertTrue(answer.getSteps() >= 1 && answer.getSteps() <= answer.getMaxSteps(), answer.toString());
            assertNull(answer.getError());
            assertOpsEndpointsAnswer(Integer.parseInt(ready.group(3)), answer.getStatus());

            final Map<String, PuzzleSolution> mazeAnswers = roundTrip(ready.group(1), ready.group(2), "maze", shortMazes(16));
            assertEquals(16, mazeAnswers.size());
            for (final PuzzleSolution maze : mazeAnswers.values()) {
                assertTrue(maze.getModel().matches("hrm-maze@[0-9a-f]{8}"), "the shipped maze model answered: " + maze);
                assertTrue(maze.getStatus() == SolveStatus.SOLVED || maze.getStatus() == SolveStatus.INVALID, maze.toString());
            }
            // its card: ~35% of 4-6-move mazes exact; with these 16 (seeded) the chance of none is below 0.1%
            assertTrue(mazeAnswers.values().stream().anyMatch(m -> m.getStatus() == SolveStatus.SOLVED),
                    "the shipped maze model solves some short mazes: " + mazeAnswers.values());

            assertEquals(0, process.terminate(), "a SIGTERM is a requested, clean stop");
            assertTrue(process.stdoutLines().contains("hrm-worker stopped"), process.output());
            final String log = process.stderr();
            assertTrue(log.contains("SIGTERM received") && log.contains("Streams closed in"), log);
        }
    }

    @Test
    void aFlagWinsOverThePropertiesWhichWinOverTheDefaultsAndTheRestPassesThrough(@TempDir Path dir) throws Exception {
        final Path file = dir.resolve("worker.properties");
        Files.writeString(file, String.join("\n",
                "bootstrap.servers=file:9092",
                "schema.registry.url=http://file:8081",
                "application.id=from-file",
                "num.stream.threads=2",
                "commit.interval.ms=20"));
        final RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--config", file.toString(), "-p", "application.id=from-property",
                "--bootstrap-servers", "flag:9092", "--worker-id", "w1", "--data-dir", dir.toString());

        final WorkerConfig config = run.workerConfig(run.passThroughProperties(), null);
        assertEquals("flag:9092", config.bootstrapServers());
        assertEquals("http://file:8081", config.schemaRegistryUrl());
        assertEquals("from-property", config.applicationId());
        assertEquals("w1", config.workerId());
        assertEquals(dir.resolve("streams"), config.stateDir());
        assertEquals(Map.of("num.stream.threads", "2", "commit.interval.ms", "20"), config.overrides());
        assertEquals("20", config.streamsProperties().get("commit.interval.ms").toString());
        assertFalse(config.overrides().containsKey("bootstrap.servers"));
    }

    /** /metrics has the worker's, the engine's, Streams' and the JVM's meters; the worker is live and ready. */
    private static void assertOpsEndpointsAnswer(final int port, final SolveStatus answered) throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        final HttpResponse<String> ready = get(http, port, "/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().matches("\\{\"status\":\"UP\",\"streams\":\"RUNNING\",\"model\":\"hrm-sudoku@[0-9a-f]{8}"
                + ", hrm-maze@[0-9a-f]{8}\"}"), "every shipped model, named with its digest: " + ready.body());
        assertEquals(200, get(http, port, "/health/live").statusCode());

        final HttpResponse<String> metrics = get(http, port, "/metrics");
        assertEquals(200, metrics.statusCode());
        final String text = metrics.body();
        for (final String expected : List.of("hrm_requests_received_total{", "hrm_solutions_total{status=\"" + answered + "\"",
                "hrm_model_info{", "model=\"hrm-sudoku@", "hrm_engine_step_seconds", "hrm_requests_dead_lettered_total{",
                "kafka_stream_thread_process_total", "kafka_consumer_fetch_manager_records_consumed_total",
                "jvm_memory_used_bytes")) {
            assertTrue(text.contains(expected), expected + " missing from /metrics:\n" + text);
        }
        final Matcher solutions = Pattern.compile("hrm_solutions_total\\{status=\"" + answered + "\",worker=\"[^\"]*\"} (\\S+)")
                .matcher(text);
        assertTrue(solutions.find(), text);
        assertEquals(1.0, Double.parseDouble(solutions.group(1)), "the one request was answered once");
    }

    /** Wikipedia's example sudoku, 0 = blank. */
    static Grid sudoku() {
        final String digits = "530070000600195000098000060800060003400803001700020006060000280000419005000080079";
        final byte[] cells = new byte[digits.length()];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = (byte) (digits.charAt(i) - '0');
        }
        return new Grid(9, 9, ByteBuffer.wrap(cells));
    }

    /** The first {@code n} seeded mazes of the shipped maze model's domain (7x7) whose shortest path is 4-5 moves. */
    static Map<String, Grid> shortMazes(final int n) {
        final MazeGenerator generator = new MazeGenerator(7, 0.1, 4, 20261203L);
        final Map<String, Grid> mazes = new LinkedHashMap<>();
        while (mazes.size() < n) {
            final MazePuzzle maze = generator.next();
            if (maze.pathLength() <= 5) {
                mazes.put("maze-" + mazes.size(), maze.maze());
            }
        }
        return mazes;
    }

    private static HttpResponse<String> get(final HttpClient http, final int port, final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Publishes one sudoku with the registry serde and reads its solution back (read_committed). */
    static PuzzleSolution roundTrip(final String bootstrap, final String registry, final Grid sudoku) {
        return roundTrip(bootstrap, registry, "sudoku", Map.of("cli-1", sudoku)).get("cli-1");
    }

    /** Publishes puzzles of one task (id -> grid) with the registry serde and reads their solutions back (read_committed). */
    static Map<String, PuzzleSolution> roundTrip(final String bootstrap, final String registry, final String task,
                                                 final Map<String, Grid> puzzles) {
        final Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry);
        final RegistryAvroSerializer<PuzzleRequest> requests = new RegistryAvroSerializer<>(PuzzleRequest.class);
        requests.configure(producerConfig, false);
        try (KafkaProducer<String, PuzzleRequest> producer =
                     new KafkaProducer<>(producerConfig, new StringSerializer(), requests)) {
            puzzles.forEach((id, grid) -> producer.send(new ProducerRecord<>(Topics.REQUESTS, id, PuzzleRequest.newBuilder()
                    .setId(id).setTask(task).setGrid(grid)
                    .setAttributes(Map.of()).build())));
        }
        final Map<String, Object> consumerConfig = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "run-command-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry);
        final RegistryAvroDeserializer<PuzzleSolution> solutions = new RegistryAvroDeserializer<>(PuzzleSolution.class);
        solutions.configure(consumerConfig, false);
        try (KafkaConsumer<String, PuzzleSolution> consumer =
                     new KafkaConsumer<>(consumerConfig, new StringDeserializer(), solutions)) {
            consumer.subscribe(List.of(Topics.SOLUTIONS));
            final Map<String, PuzzleSolution> answers = new LinkedHashMap<>();
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !answers.keySet().containsAll(puzzles.keySet())) {
                for (final ConsumerRecord<String, PuzzleSolution> record : consumer.poll(Duration.ofMillis(200))) {
                    if (puzzles.containsKey(record.value().getRequestId())) {
                        answers.put(record.value().getRequestId(), record.value());
                    }
                }
            }
            if (!answers.keySet().containsAll(puzzles.keySet())) {
                throw new AssertionError("solutions within 60 s for " + answers.keySet() + " of " + puzzles.keySet());
            }
            return answers;
        }
    }
}
