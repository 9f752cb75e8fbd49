package io.hrmstream.worker.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.hrmstream.worker.model.GoldenCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Storages larger than one Java array (2 GiB; the ARC-AGI-2 puzzle-embedding table is about 2.3 GB) are read in
 * chunks and moved into DJL in pieces. A 2 GB file is not needed to show it: the chunk and piece sizes are parameters,
 * and tiny ones make every tensor here span many chunks.
 */
class ChunkedReadingTest {

    /** 16 bytes: four float32 or eight bf16 values per chunk. */
    private static final int TINY_CHUNK = 16;

    @Test
    void aTorchSaveStorageSpanningManyChunksReadsToTheSameValues(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("step_3");
        float[] table = new float[37 * 5];
        for (int i = 0; i < table.length; i++) table[i] = i * 0.25f - 7;
        Map<String, HostTensor> written = new LinkedHashMap<>();
        written.put("_orig_mod.model.inner.puzzle_emb.weights", HostTensor.ofFloats(new long[] {37, 5}, table));
        written.put("_orig_mod.model.inner.H_init", OfficialCheckpointFolder.toBf16(
                HostTensor.ofFloats(new long[] {13}, new float[] {1, -2, 3.5f, 0.125f, 5, 6, 7, 8, 9, 10, 11, 12, 13})));
        OfficialCheckpointFolder.writeTorchSave(file, written);

        Map<String, HostTensor> read = TorchCheckpoint.read(file, TINY_CHUNK);
        HostTensor t = read.get("_orig_mod.model.inner.puzzle_emb.weights");
        assertEquals((37 * 5 * 4 + TINY_CHUNK - 1) / TINY_CHUNK, t.chunks().size(), "one chunk per 16 bytes");
        assertArrayEquals(new long[] {37, 5}, t.shape());
        assertArrayEquals(table, t.toFloats());
        assertThrows(IllegalStateException.class, t::data, "a chunked tensor is never put into one buffer");
        HostTensor bf16 = read.get("_orig_mod.model.inner.H_init");
        assertEquals(Dtype.BF16, bf16.dtype());
        assertArrayEquals(written.get("_orig_mod.model.inner.H_init").toFloats(), bf16.toFloats());
    }

    @Test
    void aChunkedTensorReachesDjlInPiecesWithItsShapeAndValues() {
        float[] values = new float[6 * 7];
        for (int i = 0; i < values.length; i++) values[i] = (float) Math.sin(i);
        HostTensor bf16 = OfficialCheckpointFolder.toBf16(HostTensor.ofFloats(new long[] {6, 7}, values));
        HostTensor chunked = HostTensor.ofChunks(Dtype.BF16, new long[] {6, 7}, split(bf16.data(), TINY_CHUNK));
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int piece : new int[] {1, 5, 7, 41, 42, 1000}) {
                NDArray array = chunked.toNDArray(manager, DataType.FLOAT32, piece);
                assertArrayEquals(new long[] {6, 7}, array.getShape().getShape(), "pieces of " + piece);
                assertArrayEquals(bf16.toFloats(), array.toFloatArray(), "pieces of " + piece);
            }
            HostTensor ints = HostTensor.ofChunks(Dtype.I32, new long[] {3, 3},
                    split(HostTensor.ofInts(new long[] {3, 3}, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}).data(), 8));
            assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, ints.toNDArray(manager, DataType.FLOAT32, 2)
                    .toIntArray(), "integer tensors stay int32");
        }
    }

    @Test
    void goldenCheckpointsReadTheSameWithTinyChunks() throws IOException {
        GoldenCase golden = GoldenCase.load("hrm-rope");
        assertSameTensors(TorchCheckpoint.read(golden.dir().resolve("checkpoint.pt")),
                TorchCheckpoint.read(golden.dir().resolve("checkpoint.pt"), TINY_CHUNK));
        Path weights = golden.dir().resolve("weights.safetensors");
        try (InputStream in = Files.newInputStream(weights)) {
            assertSameTensors(Safetensors.read(weights), Safetensors.read(in, "weights", TINY_CHUNK));
        }
    }

    @Test
    void stridedViewsReadAcrossChunkBoundaries(@TempDir Path dir) throws IOException {
        Path views = dir.resolve("views.pt");
        try (InputStream in = ChunkedReadingTest.class.getResourceAsStream("/checkpoint/views.pt")) {
            Files.copy(in, views);
        }
        Map<String, HostTensor> tensors = TorchCheckpoint.read(views, 8);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, tensors.get("a_t").toFloats(), "transposed view");
        assertArrayEquals(new float[] {4, 5}, tensors.get("a_tail").toFloats(), "storage offset");
    }

    @Test
    void aSafetensorsTensorThatStartsMidElementIsReadWhole(@TempDir Path dir) throws IOException {
        // three bf16 values (6 bytes), then a float32 at data offset 6: the format does not align tensors
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        tensors.put("odd", OfficialCheckpointFolder.toBf16(HostTensor.ofFloats(new long[] {3}, new float[] {1, 2, 3})));
        tensors.put("after", HostTensor.ofFloats(new long[] {2}, new float[] {-1.5f, 2.5f}));
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(file, tensors, Map.of());
        try (InputStream in = Files.newInputStream(file)) {
            Map<String, HostTensor> read = Safetensors.read(in, "w", TINY_CHUNK);
            assertArrayEquals(new float[] {1, 2, 3}, read.get("odd").toFloats());
            assertArrayEquals(new float[] {-1.5f, 2.5f}, read.get("after").toFloats());
        }
    }

    @Test
    void chunkedBytesSliceWithSixtyFourBitOffsets() throws IOException {
        byte[] bytes = new byte[100];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) i;
        ChunkedBytes chunked = ChunkedBytes.read(new ByteArrayInputStream(bytes), 13);   // rounded down to 8
        assertEquals(100, chunked.size());
        assertEquals(13, chunked.chunkCount(), "12 chunks of 8 and one of 4");
        List<ByteBuffer> slice = chunked.slice(6, 20);
        assertEquals(List.of(2, 8, 8, 2), slice.stream().map(ByteBuffer::remaining).toList());
        assertEquals(6, slice.get(0).get(0));
        assertEquals(25, slice.get(3).get(1));
        assertThrows(IllegalArgumentException.class, () -> chunked.slice(90, 11));
    }

    private static List<ByteBuffer> split(ByteBuffer data, int chunk) {
        List<ByteBuffer> parts = new java.util.ArrayList<>();
        for (int at = 0; at < data.remaining(); at += chunk) {
            parts.add(data.slice(at, Math.min(chunk, data.remaining() - at)).order(ByteOrder.LITTLE_ENDIAN));
        }
        return parts;
    }

    private static void assertSameTensors(Map<String, HostTensor> expected, Map<String, HostTensor> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        expected.forEach((key, e) -> {
            HostTensor a = actual.get(key);
            assertEquals(e.dtype(), a.dtype(), key);
            assertArrayEquals(e.shape(), a.shape(), key);
            assertTrue(a.chunks().size() > 1 || a.byteSize() <= TINY_CHUNK, key + " spans chunks");
            if (e.dtype().isFloatingPoint()) {
                assertArrayEquals(e.toFloats(), a.toFloats(), key);
            } else {
                assertArrayEquals(e.toInts(), a.toInts(), key);
            }
        });
    }
}
