package io.hrmstream.tools.answers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answers file that {@code publish --answers-out} writes and {@code collect --answers} reads: JSON lines, one
 * {@link PublishedRequest} per acknowledged request, e.g.
 * {@code {"id":"run1-0","task":"sudoku","answer":{"rows":9,"cols":9,"cells":"<base64>"}}}. It lists every published
 * id (so collect knows what to wait for) and keeps the known answers next to them.
 */
public final class AnswersFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AnswersFile() {
    }

    /** Reads every entry, keyed by request id, in file order. Blank lines are skipped. */
    public static Map<String, PublishedRequest> read(Path path) throws IOException {
        Map<String, PublishedRequest> byId = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                PublishedRequest entry;
                try {
                    entry = JSON.readValue(line, PublishedRequest.class);
                } catch (JsonProcessingException e) {
                    throw new IOException(path + ":" + lineNumber + ": not an answers-file entry ("
                            + e.getOriginalMessage() + ")", e);
                }
                if (byId.put(entry.id(), entry) != null) {
                    throw new IOException(path + ":" + lineNumber + ": request id '" + entry.id()
                            + "' appears twice");
                }
            }
        }
        return Collections.unmodifiableMap(byId);
    }

    public static Writer create(Path path) throws IOException {
        return new Writer(Files.newBufferedWriter(path, StandardCharsets.UTF_8));
    }

    /** Appends entries; safe to call from the producer's callback thread. */
    public static final class Writer implements Closeable {

        private final BufferedWriter out;
        private final ObjectWriter json = JSON.writerFor(PublishedRequest.class);

        Writer(BufferedWriter out) {
            this.out = out;
        }

        public synchronized void write(PublishedRequest entry) {
            try {
                out.write(json.writeValueAsString(entry));
                out.newLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void close() throws IOException {
            out.close();
        }
    }
}
