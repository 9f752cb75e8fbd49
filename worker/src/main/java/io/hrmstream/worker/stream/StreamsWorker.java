package io.hrmstream.worker.stream;

import io.hrmstream.worker.engine.EngineRoster;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The running worker: one {@link KafkaStreams} instance over {@link SolveTopology}, sharing the engines (one per
 * task) across its stream threads. The engines belong to the caller, who closes them after this.
 */
public final class StreamsWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsWorker.class);

    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaStreamsMetrics metricsBinder;

    public StreamsWorker(final WorkerConfig config, final EngineRoster engines) {
        this(config, engines, SolveObserver.NONE);
    }

    /** As {@link #StreamsWorker(WorkerConfig, EngineRoster)}, reporting what the processor does to {@code observer}. */
    public StreamsWorker(final WorkerConfig config, final EngineRoster engines,
                         final SolveObserver observer) {
        this.streams = new KafkaStreams(SolveTopology.build(config, engines, observer), config.streamsProperties());
        streams.setUncaughtExceptionHandler(e -> {
            if (causedBy(e, RegistryOutage.RegistryUnavailableException.class)) {
                // an outage, not a fault: a new thread takes the task from its committed offset and waits again
                log.warn("Stream thread replaced while the schema registry is unavailable: {}", e.getMessage());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            // the in-flight requests stay in the store; a restart resubmits them
            log.error("Stream thread failed; shutting the worker down", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((newState, oldState) -> {
            log.info("Streams {} -> {}", oldState, newState);
            if (newState == KafkaStreams.State.RUNNING) {
                running.countDown();
            } else if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.NOT_RUNNING
                    || newState == KafkaStreams.State.PENDING_ERROR || newState == KafkaStreams.State.PENDING_SHUTDOWN) {
                stopped.countDown();
            }
        });
    }

    public void start() {
        streams.start();
    }

    /** Waits until Streams first reaches RUNNING (it then takes requests); false on timeout or failure. */
    public boolean awaitRunning(final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (running.await(50, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (hasStopped()) {
                return false;
            }
        }
        return false;
    }

    /** Whether Streams has stopped or is stopping (a failed stream thread, or a close). */
    public boolean hasStopped() {
        return stopped.getCount() == 0;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Binds the Streams client's metrics (and those of its consumers, producers and admin client) to
     * {@code registry}; the binder is closed when this worker closes.
     */
    public void bindMetrics(final MeterRegistry registry) {
        final KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams);
        binder.bindTo(registry);
        metricsBinder = binder;
    }

    /**
     * Closes Streams: under exactly_once_v2 the open transaction is committed or aborted, never half-written.
     * It leaves the consumer group (Streams' default is to stay), so the partitions move to another worker, or
     * to this one restarted, at once instead of after {@code session.timeout.ms} (45 s).
     */
    public boolean close(final Duration timeout) {
        final boolean closed = streams.close(CloseOptions.timeout(timeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (metricsBinder != null) {
            metricsBinder.close();
        }
        return closed;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private static boolean causedBy(final Throwable error, final Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }
}
