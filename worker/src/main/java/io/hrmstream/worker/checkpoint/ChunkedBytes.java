package io.hrmstream.worker.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes read from a file that may be longer than one Java array or buffer (2^31 - 1 bytes): a storage of an official
 * checkpoint, or a safetensors data section. They are held as chunks of a fixed size with 64-bit offsets, and cut
 * into tensors without copying. The chunk size is a multiple of 8 bytes, so a chunk boundary never splits an element
 * of any {@link Dtype}: tensors start at element boundaries of their storage.
 */
final class ChunkedBytes {

    /** 256 MiB: well under the 2 GiB limit, and few enough chunks for a multi-GB embedding table. */
    static final int DEFAULT_CHUNK_BYTES = 1 << 28;

    private final List<ByteBuffer> chunks;
    private final long chunkBytes;
    private final long size;

    private ChunkedBytes(List<ByteBuffer> chunks, long chunkBytes, long size) {
        this.chunks = chunks;
        this.chunkBytes = chunkBytes;
        this.size = size;
    }

    /** Reads {@code in} to its end in chunks of {@code chunkBytes} (rounded down to a multiple of 8, at least 8). */
    static ChunkedBytes read(InputStream in, int chunkBytes) throws IOException {
        int chunk = Math.max(8, chunkBytes / 8 * 8);
        List<ByteBuffer> chunks = new ArrayList<>();
        long size = 0;
        while (true) {
            byte[] bytes = in.readNBytes(chunk);
            if (bytes.length == 0) {
                break;
            }
            chunks.add(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
            size += bytes.length;
            if (bytes.length < chunk) {
                break;
            }
        }
        return new ChunkedBytes(chunks, chunk, size);
    }

    long size() {
        return size;
    }

    /** Chunks read (the last may be shorter). */
    int chunkCount() {
        return chunks.size();
    }

    /** Bytes [from, from + length) as views of the chunks they lie in, in order; nothing is copied. */
    List<ByteBuffer> slice(long from, long length) {
        if (from < 0 || length < 0 || from + length > size) {
            throw new IllegalArgumentException("bytes [" + from + ", " + (from + length) + ") outside the "
                    + size + " read");
        }
        List<ByteBuffer> out = new ArrayList<>();
        long position = from;
        long end = from + length;
        while (position < end) {
            int index = (int) (position / chunkBytes);
            int offset = (int) (position % chunkBytes);
            ByteBuffer chunk = chunks.get(index);
            int n = (int) Math.min(chunk.capacity() - offset, end - position);
            out.add(chunk.slice(offset, n).order(ByteOrder.LITTLE_ENDIAN));
            position += n;
        }
        if (out.isEmpty()) {
            out.add(ByteBuffer.allocate(0));
        }
        return out;
    }

    /** Copies {@code length} bytes from {@code from} into {@code out} (which advances). */
    void copy(long from, ByteBuffer out, int length) {
        for (ByteBuffer part : slice(from, length)) {
            out.put(part);
        }
    }
}
