package io.hrmstream.worker.cli;

import io.hrmstream.schemas.ProjectVersion;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.stream.WorkerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Errors that name the thing at fault, and the flags and version the worker shares with hrm-tools. */
class FailFastTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args) {
        return new CommandLine(new WorkerCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void versionIsTheProjectVersionHrmToolsPrintsToo() {
        assertEquals(0, run("--version"));
        assertEquals("hrm-worker " + ProjectVersion.get(), out.toString().strip());
    }

    @Test
    void staticMembershipWithoutAnExplicitWorkerIdIsRefusedBeforeAnythingStarts() {
        assertEquals(2, run("run", "--no-model", "--static-membership", "--metrics-port", "0",
                "--data-dir", dir.resolve("data").toString()));
        assertTrue(err.toString().contains("--static-membership needs an explicit --worker-id"), err.toString());
        assertTrue(Files.notExists(dir.resolve("data")), "nothing started");
    }

    @Test
    void staticMembershipMakesTheExplicitWorkerIdTheGroupInstanceId() throws IOException {
        final RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--static-membership", "--worker-id", "pod-7", "--data-dir", dir.toString());
        final WorkerConfig config = run.workerConfig(run.passThroughProperties(), null);
        assertEquals(Optional.of("pod-7"), config.groupInstanceId());

        final RunCommand dynamic = new RunCommand();
        new CommandLine(dynamic).parseArgs("--worker-id", "pod-7", "--data-dir", dir.toString());
        assertEquals(Optional.empty(), dynamic.workerConfig(dynamic.passThroughProperties(), null).groupInstanceId());
    }

    @Test
    void aConfigFileThatDoesNotParseIsNamed() throws IOException {
        final Path config = dir.resolve("worker.properties");
        Files.writeString(config, "linger.ms=5\nbad=\\u00G1\n");
        assertEquals(2, run("run", "--no-model", "--config", config.toString(), "--metrics-port", "0"));
        assertTrue(err.toString().contains("--config " + config + ": not a readable properties file"), err.toString());
    }

    @Test
    void aModelConfigThatDoesNotParseIsNamedWithItsLine() throws IOException {
        final Path model = dir.resolve("model");
        Files.createDirectories(model);
        // an empty safetensors file (8-byte header length, then the header "{}"), so the config is read next
        final ByteBuffer weights = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).putLong(2)
                .put("{}".getBytes(StandardCharsets.US_ASCII));
        Files.write(model.resolve("weights.safetensors"), weights.array());
        Files.writeString(model.resolve(ModelLoader.CONFIG_JSON), "{\n  \"hidden_size\": 64,\n  \"num_heads\" 2\n}\n");
        final IOException e = assertThrows(IOException.class,
                () -> ModelLoader.load(model, ComputeDevice.cpu(), OptionalInt.empty()));
        assertTrue(e.getMessage().startsWith(model.resolve(ModelLoader.CONFIG_JSON) + " does not parse at line 3"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void evalGeneratesSudokuWithGivensInTheRangeOfGivensAsHrmToolsDoes() throws IOException {
        final Path csv = dir.resolve("eval.csv");
        assertEquals(0, run("eval", "--generate", "12", "--givens", "60-62", "--seed", "3", "--data", csv.toString()),
                err.toString());
        final List<String> rows = Files.readAllLines(csv).subList(1, 13);
        for (final String row : rows) {
            final long givens = row.split(",")[1].chars().filter(c -> c >= '1' && c <= '9').count();
            assertTrue(givens >= 60 && givens <= 62, givens + " givens: " + row);
        }
        assertEquals(2, run("eval", "--generate", "1", "--givens", "sixty", "--data", csv.toString()));
        assertTrue(err.toString().contains("'sixty' is not a givens range"), err.toString());
    }
}
