package io.hrmstream.tools.input;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An input that can be read more than once (publish checks every puzzle before it sends the first): a file, or
 * standard input ({@code -}) read into memory once.
 */
public final class InputFile {

    private final String name;
    private final Path path;
    private final byte[] content;

    private InputFile(String name, Path path, byte[] content) {
        this.name = name;
        this.path = path;
        this.content = content;
    }

    /** {@code -} is standard input. */
    public static InputFile of(String argument) throws IOException {
        if (argument.equals("-")) {
            return ofBytes("<stdin>", System.in.readAllBytes());
        }
        Path path = Path.of(argument);
        if (!Files.isReadable(path)) {
            throw new IOException("cannot read input file " + path);
        }
        return new InputFile(path.toString(), path, null);
    }

    public static InputFile ofBytes(String name, byte[] content) {
        return new InputFile(name, null, content.clone());
    }

    public String name() {
        return name;
    }

    public InputStream openStream() throws IOException {
        return path != null ? Files.newInputStream(path) : new ByteArrayInputStream(content);
    }

    public BufferedReader openReader() throws IOException {
        return new BufferedReader(new InputStreamReader(openStream(), StandardCharsets.UTF_8));
    }
}
