package io.hrmstream.worker.checkpoint;

import io.hrmstream.worker.checkpoint.Dtype;
import io.hrmstream.worker.checkpoint.HostTensor;
import io.hrmstream.worker.checkpoint.TorchCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** views.pt is written by make_views.py beside it: torch.save's layout, with views and 16-bit storages. */
class TorchCheckpointTest {

    @Test
    void readsStridedViewsOffsetsAndSixteenBitStorages() throws IOException {
        Map<String, HostTensor> tensors;
        try (InputStream in = TorchCheckpointTest.class.getResourceAsStream("/checkpoint/views.pt")) {
            tensors = TorchCheckpoint.read(in, "views.pt");
        }
        assertEquals(List.of("a", "a_t", "a_tail", "h", "bf"), List.copyOf(tensors.keySet()), "pickled order");
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, tensors.get("a").toFloats());
        assertArrayEquals(new long[] {3, 2}, tensors.get("a_t").shape());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, tensors.get("a_t").toFloats(), "transposed view");
        assertArrayEquals(new float[] {4, 5}, tensors.get("a_tail").toFloats(), "storage offset");
        assertEquals(Dtype.F16, tensors.get("h").dtype());
        assertArrayEquals(new float[] {1.5f, -2f, 0.15625f, 65504f}, tensors.get("h").toFloats());
        assertEquals(Dtype.BF16, tensors.get("bf").dtype());
        assertArrayEquals(new float[] {1f, -3.5f}, tensors.get("bf").toFloats());
    }

    @Test
    void aFileThatIsNotATorchSaveArchiveIsAClearError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("checkpoint");
        Files.writeString(file, "not a zip");
        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains("torch.save"), e.getMessage());
    }

    @Test
    void halfPrecisionWidensExactly() {
        assertEquals(0f, HostTensor.halfToFloat((short) 0x0000));
        assertEquals(-0f, HostTensor.halfToFloat((short) 0x8000));
        assertEquals(0x1p-24f, HostTensor.halfToFloat((short) 0x0001), "smallest subnormal");
        assertEquals(6.097555E-5f, HostTensor.halfToFloat((short) 0x03FF), "largest subnormal");
        assertEquals(Float.POSITIVE_INFINITY, HostTensor.halfToFloat((short) 0x7C00));
        assertTrue(Float.isNaN(HostTensor.halfToFloat((short) 0x7E00)));
    }
}
