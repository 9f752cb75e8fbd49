package io.hrmstream.tools.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM asks a long command to stop instead of killing it: the command sees
 * {@link #requested()}, finishes what it holds (flushes the producer, writes the answers file, prints the report of
 * what arrived) and calls {@link #close()}; the JVM then exits. The hook waits at most {@code grace}.
 */
public final class StopSignal implements AutoCloseable {

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;

    private StopSignal(Duration grace) {
        hook = new Thread(() -> {
            requested = true;
            try {
                finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hrm-tools-stop");
    }

    public static StopSignal install(Duration grace) {
        StopSignal signal = new StopSignal(grace);
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    public boolean requested() {
        return requested;
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now that finished is counted down
        }
    }
}
