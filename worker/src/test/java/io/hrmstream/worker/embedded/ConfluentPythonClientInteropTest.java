package io.hrmstream.worker.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Confluent's own Python client (Debian's python3-confluent-kafka, legacy confluent_kafka.avro module) registers the
 * PuzzleRequest schema, publishes a request and reads it back against the embedded stack. Skipped where that client
 * is not installed ({@code apt-get install python3-confluent-kafka python3-avro python3-requests}).
 */
class ConfluentPythonClientInteropTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of("src/test/python/confluent_client_check.py");

    @Test
    void confluentsPythonClientRegistersPublishesAndReadsBackAPuzzleRequest(@TempDir Path dataDir) throws Exception {
        assumeTrue(confluentClientInstalled(), "python3-confluent-kafka with python3-avro is not installed");
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStackConfig.ephemeral(dataDir).withPartitions(1))) {
            Path output = dataDir.resolve("python-output.txt");
            Process python = new ProcessBuilder(PYTHON, SCRIPT.toString(),
                    "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl(),
                    "--avro-dir", Path.of("../schemas/src/main/avro").toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertTrue(python.waitFor(120, TimeUnit.SECONDS), "the Python check did not finish within 120 s");
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertEquals(0, python.exitValue(), printed);
            assertTrue(printed.contains("all checks passed"), printed);
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
