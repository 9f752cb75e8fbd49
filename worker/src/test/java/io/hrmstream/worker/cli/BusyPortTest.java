package io.hrmstream.worker.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A port another process holds stops {@code run} and {@code dev-cluster} before anything starts (no model load,
 * no broker), with one line naming the port and what wanted it.
 */
class BusyPortTest {

    @TempDir
    Path dir;

    @Test
    void aBusyMetricsPortIsNamedBeforeTheModelLoads() throws Exception {
        assertOneLineNaming("the metrics and health endpoints (--metrics-port)",
                port -> List.of("run", "--metrics-host", "127.0.0.1", "--metrics-port", port));
    }

    @Test
    void aBusyBrokerPortIsNamed() throws Exception {
        assertOneLineNaming("the Kafka broker (--kafka-port)", port -> List.of("run", "--embedded",
                "--kafka-port", port, "--controller-port", "0", "--registry-port", "0", "--metrics-port", "0"));
        assertOneLineNaming("the Kafka broker (--kafka-port)", port -> List.of("dev-cluster",
                "--kafka-port", port, "--controller-port", "0", "--registry-port", "0"));
    }

    @Test
    void aBusyControllerPortIsNamed() throws Exception {
        assertOneLineNaming("the KRaft controller (--controller-port)", port -> List.of("run", "--embedded",
                "--kafka-port", "0", "--controller-port", port, "--registry-port", "0", "--metrics-port", "0"));
        assertOneLineNaming("the KRaft controller (--controller-port)", port -> List.of("dev-cluster",
                "--kafka-port", "0", "--controller-port", port, "--registry-port", "0"));
    }

    @Test
    void aBusyRegistryPortIsNamed() throws Exception {
        assertOneLineNaming("the development schema registry (--registry-port)", port -> List.of("run", "--embedded",
                "--kafka-port", "0", "--controller-port", "0", "--registry-port", port, "--metrics-port", "0"));
        assertOneLineNaming("the development schema registry (--registry-port)", port -> List.of("dev-cluster",
                "--kafka-port", "0", "--controller-port", "0", "--registry-port", port));
    }

    private interface Arguments {
        List<String> with(String busyPort);
    }

    /** Holds a port, runs the command with it, and expects exit 1 and one line naming the port and its user. */
    private void assertOneLineNaming(final String wantedBy, final Arguments arguments) throws Exception {
        final Path dataDir = dir.resolve("data-" + System.nanoTime());
        try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            final String port = Integer.toString(holder.getLocalPort());
            final List<String> args = new ArrayList<>(arguments.with(port));
            args.addAll(List.of("--data-dir", dataDir.toString()));
            final StringWriter err = new StringWriter();
            final StringWriter out = new StringWriter();
            final int exit = new CommandLine(new WorkerCli()).setErr(new PrintWriter(err)).setOut(new PrintWriter(out))
                    .execute(args.toArray(String[]::new));
            assertEquals(1, exit, err.toString());
            final List<String> lines = err.toString().lines().toList();
            assertEquals(1, lines.size(), "one line: " + err);
            assertTrue(lines.get(0).contains("port " + port + " on 127.0.0.1 is in use"), lines.get(0));
            assertTrue(lines.get(0).contains(wantedBy + " needs it"), lines.get(0));
            assertFalse(Files.exists(dataDir), "nothing started: no data directory was made");
        }
    }
}
