package io.hrmstream.worker.embedded;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.PuzzleRequest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Confluent's own Python client (Debian's python3-confluent-kafka, legacy confluent_kafka.avro module) registers the
 * PuzzleRequest schema, publishes a request and reads it back against the embedded stack, and the schema it registers
 * from the .avsc files is the one the Java serde registered from the generated class. Skipped where that client
 * is not installed ({@code apt-get install python3-confluent-kafka python3-avro python3-requests}).
 */
@Tag("slow")   // starts brokers or child JVMs: the slow lane
class ConfluentPythonClientInteropTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of("src/test/python/confluent_client_check.py");

    @Test
    void confluentsPythonClientRegistersPublishesAndReadsBackAPuzzleRequest(@TempDir Path dataDir) throws Exception {
        assumeTrue(confluentClientInstalled(), "python3-confluent-kafka with python3-avro is not installed");
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStackConfig.ephemeral(dataDir).withPartitions(1))) {
            // the Java serde registers PuzzleRequest first; Python registering the .avsc files must find the same schema
            EmbeddedStackTest.publish(stack, PuzzleRequest.newBuilder().setId("java-1").setTask("sudoku")
                    .setGrid(Grid.newBuilder().setRows(1).setCols(1).setCells(ByteBuffer.wrap(new byte[] {0})).build()).build());
            int javaSchemaId = EmbeddedStackTest.latest(stack.registryUrl(), "hrm.requests-value").get("id").asInt();

            Path output = dataDir.resolve("python-output.txt");
            Process python = new ProcessBuilder(PYTHON, SCRIPT.toString(),
                    "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl(),
                    "--avro-dir", Path.of("../schemas/src/main/avro").toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertTrue(python.waitFor(120, TimeUnit.SECONDS), "the Python check did not finish within 120 s");
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertEquals(0, python.exitValue(), printed);
            assertTrue(printed.contains("all checks passed"), printed);
            assertTrue(printed.contains("registered hrm.requests-value as schema id " + javaSchemaId + "\n"), printed);
            assertEquals(1, EmbeddedStackTest.latest(stack.registryUrl(), "hrm.requests-value").get("version").asInt(),
                    "Python and Java registered one and the same schema");
            // the script's consumer created __consumer_offsets; let the coordinator finish loading it before the
            // broker stops, or the broker logs every partition still loading as an ERROR
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                admin.describeConsumerGroups(List.of("confluent-client-check")).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // the group never committed, so it does not exist: the coordinator has answered, which is all we wait for
                assertInstanceOf(GroupIdNotFoundException.class, e.getCause());
            }
        }
    }

    private static boolean confluentClientInstalled() throws InterruptedException {
        try {
            Process probe = new ProcessBuilder(PYTHON, "-c", "import confluent_kafka.avro, confluent_kafka.schema_registry")
                    .redirectErrorStream(true).start();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
