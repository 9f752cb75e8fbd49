package io.hrmstream.worker.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How {@code run} learns that it should stop: SIGTERM or SIGINT, or the JVM shutting down for another reason.
 * A signal only requests the stop, so the worker closes in order and exits 0; a shutdown hook keeps the JVM
 * alive until {@link #close()} says the worker has closed (or the close bound plus a margin has passed).
 */
final class StopSignals implements AutoCloseable {

    // logged under run's name: operators read these lines as run's, as they always were
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    private StopSignals() {
    }

    /** Installs the shutdown hook and the TERM/INT handlers; the hook waits at most {@code closeTimeout} + 30 s. */
    static StopSignals install(final Duration closeTimeout) {
        final StopSignals signals = new StopSignals();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signals.stopRequested.countDown();
            try {
                signals.closed.await(closeTimeout.toSeconds() + 30, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hrm-worker-shutdown"));
        // SIGTERM/SIGINT end the wait of await() instead of exiting the JVM with 143/130: the worker then closes in
        // order and the process exits 0 (a shutdown hook cannot set the exit status)
        for (final String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                log.info("SIG{} received: stop taking requests, commit and close", signal.getName());
                signals.stopRequested.countDown();
            });
        }
        return signals;
    }

    /** Whether a stop has been requested. */
    boolean requested() {
        return stopRequested.getCount() == 0;
    }

    /** Waits up to {@code timeout} for a stop request; true once one has come. */
    boolean await(final long timeout, final TimeUnit unit) throws InterruptedException {
        return stopRequested.await(timeout, unit);
    }

    /** The worker has closed: releases the shutdown hook, so the JVM may exit. */
    @Override
    public void close() {
        closed.countDown();
    }
}
