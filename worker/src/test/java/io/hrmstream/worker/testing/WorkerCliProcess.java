package io.hrmstream.worker.testing;

import io.hrmstream.worker.cli.WorkerCli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code hrm-worker <command>} (a worker, a {@code dev-cluster}, a registry) in a child JVM on the tests' class
 * path, with the worker's own logging ({@code log4j2.xml}: lifecycle lines at INFO on stderr). Its stdout goes to
 * {@code <dir>/<name>.out} and its stderr to {@code <dir>/<name>.err}, so a test can wait for a line, read what it
 * printed after it stopped, and show both when something fails. {@link #close()} kills it if it still runs.
 *
 * <pre>{@code
 * try (WorkerCliProcess worker = WorkerCliProcess.start(dir, "w1", List.of(), "run", "--no-model", ...)) {
 *     worker.awaitReady();
 *     ...
 *     assertEquals(0, worker.terminate());   // SIGTERM, then its exit code
 * }
 * }</pre>
 */
public final class WorkerCliProcess implements AutoCloseable {

    /** The line {@code run} prints once it takes requests; {@code dev-cluster} prints one with "ready" too. */
    public static final Pattern READY = Pattern.compile("\\bready\\b");
    /** Child JVMs that several tests run side by side on a 2-core machine: a small heap, quick start. */
    public static final List<String> SMALL_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final String name;
    private final List<String> jvmOptions;
    private final List<String> args;
    private final Process process;

    private WorkerCliProcess(final Path dir, final String name, final List<String> jvmOptions,
                             final List<String> args, final Process process) {
        this.dir = dir;
        this.name = name;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.args = List.copyOf(args);
        this.process = process;
    }

    /** Starts {@code hrm-worker args...} with {@code jvmOptions}; output in {@code dir/name.out} and {@code .err}. */
    public static WorkerCliProcess start(final Path dir, final String name, final List<String> jvmOptions,
                                         final String... args) {
        return start(dir, name, jvmOptions, List.of(args));
    }

    public static WorkerCliProcess start(final Path dir, final String name, final List<String> jvmOptions,
                                         final List<String> args) {
        final String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        // the worker's own logging, not the tests' file (log4j2-test.xml would otherwise win on this class path)
        command.add("-Dlog4j2.configurationFile=log4j2.xml");
        command.addAll(List.of("-cp", classpath, WorkerCli.class.getName()));
        command.addAll(args);
        try {
            Files.createDirectories(dir);
            final Process process = new ProcessBuilder(command)
                    .redirectOutput(dir.resolve(name + ".out").toFile())
                    .redirectError(dir.resolve(name + ".err").toFile())
                    .start();
            return new WorkerCliProcess(dir, name, jvmOptions, args, process);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start hrm-worker " + args, e);
        }
    }

    /** The same command again (after a stop or a kill), its output in {@code dir/newName.out} and {@code .err}. */
    public WorkerCliProcess startAgain(final String newName) {
        return start(dir, newName, jvmOptions, args);
    }

    /** Waits for the line containing "ready" and returns it. */
    public String awaitReady() throws InterruptedException {
        return awaitLine(READY, START_TIMEOUT).group();
    }

    /**
     * Waits for a line of stdout matching {@code pattern} and returns its match (on that line, so its groups are
     * there).
     *
     * @throws AssertionError when the process exits first or the timeout passes, with everything it printed
     */
    public Matcher awaitLine(final Pattern pattern, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (final String line : stdoutLines()) {
                final Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m;
                }
            }
            if (!process.isAlive()) {
                // it may have printed the line just before it exited
                if (stdoutLines().stream().anyMatch(line -> pattern.matcher(line).find())) {
                    continue;
                }
                throw new AssertionError(name + " exited (" + process.exitValue() + ") before printing /" + pattern
                        + "/:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " printed no /" + pattern + "/ within " + timeout + ":\n" + output());
            }
            Thread.sleep(100);
        }
    }

    /** SIGTERM, then waits for the exit: the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not stop within " + STOP_TIMEOUT + " of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no commit, no leave-group; returns once it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " survived SIGKILL for 30 s");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** What it printed on stdout so far, line by line. */
    public List<String> stdoutLines() {
        return read(dir.resolve(name + ".out")).lines().toList();
    }

    /** What it logged on stderr so far. */
    public String stderr() {
        return read(dir.resolve(name + ".err"));
    }

    /** Both, for a failure message. */
    public String output() {
        return "--- " + name + " stdout ---\n" + String.join("\n", stdoutLines()) + "\n--- " + name + " stderr ---\n"
                + stderr();
    }

    /** Kills it if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String read(final Path file) {
        try {
            // decoded leniently: the process may be in the middle of writing a character
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
