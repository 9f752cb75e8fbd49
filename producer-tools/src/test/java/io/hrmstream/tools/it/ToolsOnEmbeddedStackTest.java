package io.hrmstream.tools.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.serde.ConfluentWireFormat;
import io.hrmstream.schemas.serde.RegistryAvroDeserializer;
import io.hrmstream.tools.HrmTools;
import io.hrmstream.tools.support.ExactSudokuEngine;
import io.hrmstream.worker.embedded.EmbeddedStack;
import io.hrmstream.worker.embedded.EmbeddedStackConfig;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.SolverEngine;
import io.hrmstream.worker.stream.StreamsWorker;
import io.hrmstream.worker.stream.WorkerConfig;
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
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tools against the real thing: the embedded KRaft broker and development registry, and the worker's Streams
 * topology (exactly_once_v2) with a test-double engine that solves sudoku exactly.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@Tag("slow")   // starts brokers or child JVMs: the slow lane
class ToolsOnEmbeddedStackTest {

    @TempDir
    static Path dir;

    private static EmbeddedStack stack;
    private static SolverEngine engine;
    private static StreamsWorker worker;

    @BeforeAll
    static void startStackAndWorker() throws InterruptedException {
        stack = EmbeddedStack.start(EmbeddedStackConfig.ephemeral(dir.resolve("kafka")).withPartitions(2));
        engine = new ExactSudokuEngine();
        worker = new StreamsWorker(new WorkerConfig(stack.bootstrapServers(), stack.registryUrl(), "hrm-tools-it",
                "it-worker", StreamsConfig.EXACTLY_ONCE_V2, dir.resolve("streams"),
                WorkerConfig.DEFAULT_MAX_IN_FLIGHT_PER_TASK, WorkerConfig.DEFAULT_ENGINE_WAIT,
                WorkerConfig.DEFAULT_FORWARD_INTERVAL, Map.of()), EngineRoster.of(engine));
        worker.start();
        assertTrue(worker.awaitRunning(Duration.ofSeconds(90)), "worker did not reach RUNNING");
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close(Duration.ofSeconds(30));
        }
        if (engine != null) {
            engine.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run tools(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", stack.bootstrapServers(), "--registry", stack.registryUrl()));
        return toolsWithoutCluster(all.toArray(String[]::new));
    }

    private static Run toolsWithoutCluster(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = HrmTools.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void generatedPuzzlesPublishedFromCsvAreCollectedWithTheirAnswersJoined() throws Exception {
        Path csv = dir.resolve("sudoku.csv");
        Path answers = dir.resolve("answers.jsonl");
        assertEquals(0, toolsWithoutCluster("generate", "-n", "12", "--givens", "30-50", "--seed", "5", "-o",
                csv.toString()).exitCode());

        Run publish = tools("publish", "-i", csv.toString(), "--id-prefix", "csv", "--rate", "100/s",
                "--answers-out", answers.toString());
        assertEquals(0, publish.exitCode(), publish.err());
        assertTrue(publish.err().contains("published 12 requests from " + csv), publish.err());
        assertEquals(12, Files.readAllLines(answers).size());

        Run collect = tools("collect", "--answers", answers.toString(), "--timeout", "90s", "--json");
        assertEquals(0, collect.exitCode(), collect.err());
        JsonNode report = new ObjectMapper().readTree(collect.out());
        assertEquals(12, report.get("received").asLong());
        assertEquals(0, report.get("missing").asLong());
        assertEquals(12, report.get("statuses").get("SOLVED").asLong());
        assertEquals(1.0, report.get("accuracy").get("rate").asDouble());
        assertEquals(12, report.get("latencyMs").get("count").asLong());
        assertTrue(report.get("steps").size() >= 1);
    }

    @Test
    void benchPublishesAndCollectsInOneRunAndReportsThroughput() throws Exception {
        Run bench = tools("bench", "--generate", "-n", "20", "--seed", "9", "--warmup", "3", "--timeout", "90s",
                "--json");
        assertEquals(0, bench.exitCode(), bench.err());
        JsonNode report = new ObjectMapper().readTree(bench.out());
        assertEquals(20, report.get("received").asLong(), "warm-up solutions are not counted");
        assertEquals(20, report.get("statuses").get("SOLVED").asLong());
        assertEquals(20, report.get("roundTripMs").get("count").asLong());
        assertTrue(report.get("throughput").get("solutionsPerSecond").asDouble() > 0);
        assertEquals(1.0, report.get("accuracy").get("rate").asDouble());
    }

    @Test
    void aRequestOnTheWireIsKeyedByItsIdAndFramedInTheConfluentWireFormat() throws Exception {
        Path lines = dir.resolve("one.txt");
        Files.writeString(lines,
                "4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......\n");
        Run publish = tools("publish", "-i", lines.toString(), "--id-prefix", "wire", "--max-steps", "8",
                "--attr", "run=wire-test");
        assertEquals(0, publish.exitCode(), publish.err());

        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer());
             RegistryAvroDeserializer<PuzzleRequest> avro = new RegistryAvroDeserializer<>(PuzzleRequest.class)) {
            avro.configure(Map.of("schema.registry.url", stack.registryUrl()), false);
            List<TopicPartition> partitions = consumer.partitionsFor("hrm.requests").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            ConsumerRecord<String, byte[]> found = null;
            long deadline = System.currentTimeMillis() + 30_000;
            while (found == null && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if ("wire-0".equals(record.key())) {
                        found = record;
                    }
                }
            }
            assertTrue(found != null, "wire-0 not on hrm.requests");
            assertEquals(ConfluentWireFormat.MAGIC_BYTE, found.value()[0]);
            assertTrue(ConfluentWireFormat.decode(found.value()).schemaId() > 0);
            PuzzleRequest request = avro.deserialize("hrm.requests", found.value());
            assertEquals("wire-0", request.getId());
            assertEquals("sudoku", request.getTask());
            assertEquals(8, request.getMaxSteps());
            assertEquals(Map.of("run", "wire-test"), request.getAttributes());
            assertTrue(request.getSubmittedAtMs() != null);
        }
    }

    @Test
    void tailPrintsASolutionAsItArrivesAndDlqListsAndReplaysAGarbageRecord() throws Exception {
        Path lines = dir.resolve("tail.txt");
        Files.writeString(lines,
                "4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......\n");
        Run publish = tools("publish", "-i", lines.toString(), "--id-prefix", "tail");
        assertEquals(0, publish.exitCode(), publish.err());

        Run tail = tools("tail", "--from-beginning", "--id-prefix", "tail-", "--max", "1", "--format", "json");
        assertEquals(0, tail.exitCode(), tail.err());
        assertEquals(1, tail.out().lines().count(), tail.out());
        JsonNode solution = new ObjectMapper().readTree(tail.out());
        assertEquals("tail-0", solution.get("requestId").asText());
        assertEquals("SOLVED", solution.get("status").asText());
        assertEquals(9, solution.get("solution").size());
        assertTrue(solution.get("solution").get(0).asText().matches("[1-9]{9}"), tail.out());

        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("hrm.requests", "garbage-1",
                    "not avro".getBytes(StandardCharsets.UTF_8))).get();
        }
        Run listed = awaitDeadLetters("garbage-1", 1);
        String line = listed.out().lines().filter(l -> l.contains("key=garbage-1")).findFirst().orElseThrow();
        assertTrue(line.matches(
                "\\d+@\\d+ key=garbage-1 error=\".+\" source=hrm\\.requests-\\d+@\\d+ value=8 bytes"), line);

        Run replay = tools("dlq", "--replay", "--all");
        assertEquals(0, replay.exitCode(), replay.err());
        assertTrue(replay.err().contains("replayed 1 of 1 record(s) to hrm.requests"), replay.err());
        // the same bytes under the same key are undecodable again: the worker dead-letters them a second time
        awaitDeadLetters("garbage-1", 2);
    }

    /** {@code dlq} until it lists {@code count} records with this key (the worker commits every 100 ms or so). */
    private static Run awaitDeadLetters(String key, long count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            Run dlq = tools("dlq");
            assertEquals(0, dlq.exitCode(), dlq.err());
            long found = dlq.out().lines().filter(l -> l.contains(" key=" + key + " ")).count();
            if (found >= count || System.currentTimeMillis() > deadline) {
                assertEquals(count, found, dlq.out());
                return dlq;
            }
            Thread.sleep(250);
        }
    }
}
