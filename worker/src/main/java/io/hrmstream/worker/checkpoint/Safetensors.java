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
        ByteBuffer file = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (file.remaining() < 8) {
            throw new IOException(source + ": not a safetensors file (shorter than its 8-byte header length)");
        }
        long headerLength = file.getLong(0);
        if (headerLength <= 0 || headerLength > file.capacity() - 8) {
            throw new IOException(source + ": not a safetensors file (header length " + headerLength + ")");
        }
        JsonNode header = JSON.readTree(new String(file.array(), 8, (int) headerLength, StandardCharsets.UTF_8));
        if (!header.isObject()) {
            throw new IOException(source + ": safetensors header is not a JSON object");
        }
        int dataStart = 8 + (int) headerLength;
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
                if (begin < 0 || end < begin || dataStart + end > file.capacity()) {
                    throw new IOException("data_offsets " + info.path("data_offsets") + " outside the file");
                }
                ByteBuffer data = file.slice(dataStart + (int) begin, (int) (end - begin));
                tensors.put(name, new HostTensor(dtype, shape, data));
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException(source + ": tensor '" + name + "': " + e.getMessage(), e);
            }
        }
        return tensors;
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
            long size = t.data().remaining();
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
                ByteBuffer data = t.data();
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                out.write(bytes);
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
