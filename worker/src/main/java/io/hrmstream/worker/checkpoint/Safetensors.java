package io.hrmstream.worker.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format (https://github.com/huggingface/safetensors):
 * <pre>
 *   u64 LE  N            header length
 *   N bytes header       UTF-8 JSON: name -> {"dtype", "shape", "data_offsets": [begin, end]}, plus "__metadata__"
 *   data                 row-major little-endian tensors; offsets relative to the first byte after the header
 * </pre>
 * Written by hand (the header with Jackson): DJL's own reader ({@code NDList.decode}) aborts the JVM on BF16 tensors,
 * which the official checkpoints contain, and no Java library on Maven Central reads the format without a native
 * engine. The writer is the reader's mirror, so host tensors round-trip without touching DJL.
 */
public final class Safetensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "__metadata__";
    /** The reference implementation's limit on the JSON header (100 MB). */
    private static final long MAX_HEADER_BYTES = 100_000_000;

    private Safetensors() {
    }

    /** The tensors of a file, in header order. */
    public static Map<String, HostTensor> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** The tensors of a stream, in header order; {@code source} names it in errors. */
    public static Map<String, HostTensor> read(InputStream in, String source) throws IOException {
        return read(in, source, ChunkedBytes.DEFAULT_CHUNK_BYTES);
    }

    /**
     * As {@link #read(InputStream, String)}, holding the data section in chunks of {@code chunkBytes}, so a file
     * larger than one Java array (2 GiB) reads too; offsets are 64-bit.
     */
    static Map<String, HostTensor> read(InputStream in, String source, int chunkBytes) throws IOException {
        byte[] lengthBytes = in.readNBytes(8);
        if (lengthBytes.length < 8) {
            throw new IOException(source + ": not a safetensors file (shorter than its 8-byte header length)");
        }
        long headerLength = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES) {
            throw new IOException(source + ": not a safetensors file (header length " + headerLength + ")");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw new IOException(source + ": not a safetensors file (header length " + headerLength
                    + ", file shorter)");
        }
        JsonNode header = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
        if (!header.isObject()) {
            throw new IOException(source + ": safetensors header is not a JSON object");
        }
        ChunkedBytes data = ChunkedBytes.read(in, chunkBytes);
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            if (name.equals(METADATA)) {
                continue;
            }
            JsonNode info = entry.getValue();
            try {
                Dtype dtype = Dtype.ofSafetensors(info.path("dtype").asText());
                JsonNode shapeNode = info.path("shape");
                long[] shape = new long[shapeNode.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeNode.get(i).asLong();
                }
                long begin = info.path("data_offsets").path(0).asLong(-1);
                long end = info.path("data_offsets").path(1).asLong(-1);
                if (begin < 0 || end < begin || end > data.size()) {
                    throw new IOException("data_offsets " + info.path("data_offsets") + " outside the file");
                }
                tensors.put(name, begin % dtype.bytes() == 0
                        ? HostTensor.ofChunks(dtype, shape, data.slice(begin, end - begin))
                        : new HostTensor(dtype, shape, unaligned(data, begin, end - begin)));
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException(source + ": tensor '" + name + "': " + e.getMessage(), e);
            }
        }
        return tensors;
    }

    /** A tensor that starts mid-element of a chunk (the format does not require alignment): copied whole. */
    private static ByteBuffer unaligned(ChunkedBytes data, long begin, long length) throws IOException {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("an unaligned tensor of " + length + " bytes, larger than one buffer");
        }
        ByteBuffer out = ByteBuffer.allocate((int) length);
        data.copy(begin, out, (int) length);
        return out.flip();
    }

    /** Writes tensors in map order, contiguous, with the header padded by spaces to a multiple of 8 bytes. */
    public static void write(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            HostTensor t = e.getValue();
            ObjectNode info = header.putObject(e.getKey());
            info.put("dtype", t.dtype().name());
            long[] shape = t.shape();
            var shapeNode = info.putArray("shape");
            for (long d : shape) {
                shapeNode.add(d);
            }
            long size = t.byteSize();
            info.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(json);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(prefix.array());
            for (HostTensor t : tensors.values()) {
                for (ByteBuffer chunk : t.chunks()) {
                    byte[] bytes = new byte[chunk.remaining()];
                    chunk.get(bytes);
                    out.write(bytes);
                }
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
