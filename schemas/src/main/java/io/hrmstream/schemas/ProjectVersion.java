package io.hrmstream.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The project's version (the Maven project version, written into {@code version.properties} at build time), so
 * that {@code hrm-worker --version} and {@code hrm-tools --version} print the same one.
 */
public final class ProjectVersion {

    private static final String VERSION = read();

    private ProjectVersion() {
    }

    /** E.g. {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = ProjectVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties missing from the schemas jar");
            }
            final Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
