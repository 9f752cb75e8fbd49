package io.hrmstream.worker.cli;

import io.hrmstream.worker.checkpoint.HostTensor;
import io.hrmstream.worker.checkpoint.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardCommandTest {

    @Test
    void replaysAGoldenCaseWithinTheGoldenTolerance(@TempDir Path tmp) throws Exception {
        Path golden = goldenDir("trm-att");
        Path out = tmp.resolve("out.safetensors");
        int exit = new CommandLine(new WorkerCli()).execute("forward", "--model", golden.toString(),
                "--inputs", golden.resolve("io.safetensors").toString(), "--steps", "4", "--out", out.toString());
        assertEquals(0, exit);

        Map<String, HostTensor> expected = Safetensors.read(golden.resolve("io.safetensors"));
        Map<String, HostTensor> actual = Safetensors.read(out);
        assertEquals(expected.keySet(), actual.keySet(), "the golden layout");
        expected.forEach((key, e) -> {
            HostTensor a = actual.get(key);
            assertArrayEquals(e.shape(), a.shape(), key);
            if (e.dtype().isFloatingPoint()) {
                float[] ev = e.toFloats();
                float[] av = a.toFloats();
                for (int i = 0; i < ev.length; i++) {
                    assertEquals(ev[i], av[i], 1e-4, key + "[" + i + "]");
                }
            } else {
                assertArrayEquals(e.toInts(), a.toInts(), key);
            }
        });
    }

    @Test
    void anInputsFileWithoutPuzzleIdentifiersIsAClearError(@TempDir Path tmp) throws Exception {
        Path golden = goldenDir("hrm-rope");
        Path inputs = tmp.resolve("in.safetensors");
        Safetensors.write(inputs, Map.of("inputs", Safetensors.read(golden.resolve("io.safetensors")).get("inputs")),
                Map.of());
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new WorkerCli());
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("forward", "--model", golden.toString(), "--inputs", inputs.toString(),
                "--out", tmp.resolve("out.safetensors").toString());
        assertEquals(1, exit);
        assertTrue(err.toString().contains("no tensor 'puzzle_identifiers'"), err.toString());
    }

    private static Path goldenDir(String name) throws URISyntaxException {
        var url = ForwardCommandTest.class.getResource("/golden/" + name);
        assertNotNull(url);
        return Path.of(url.toURI());
    }
}
