package io.hrmstream.worker.stream;

import io.hrmstream.worker.engine.EngineRoster;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The running worker: one {@link KafkaStreams} instance over {@link SolveTopology}, sharing the engines (one per
 * task) across its stream threads. The engines belong to the caller, who closes them after this.
 */
public final class StreamsWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsWorker.class);

    /** How long a failing stream thread waits for {@link #startLeavingClose()} to begin the close. */
    private static final Duration LEAVING_CLOSE_START = Duration.ofSeconds(1);

    private final KafkaStreams streams;
    private final Optional<String> groupInstanceId;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaStreamsMetrics metricsBinder;
    private final StreamThreadFailurePolicy failurePolicy = new StreamThreadFailurePolicy();
    private final AtomicLong threadsReplaced = new AtomicLong();
    /** Set when a stream thread failed and the worker began closing itself, leaving the group. */
    private volatile boolean failed;

    public StreamsWorker(final WorkerConfig config, final EngineRoster engines) {
        this(config, engines, SolveObserver.NONE);
    }

    /** As {@link #StreamsWorker(WorkerConfig, EngineRoster)}, reporting what the processor does to {@code observer}. */
    public StreamsWorker(final WorkerConfig config, final EngineRoster engines,
                         final SolveObserver observer) {
        this.streams = new KafkaStreams(SolveTopology.build(config, engines, observer), config.streamsProperties());
        this.groupInstanceId = config.groupInstanceId();
        streams.setUncaughtExceptionHandler(this::onStreamThreadFailure);
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
        FunctionCounter.builder("hrm.stream.threads.replaced", threadsReplaced, AtomicLong::get)
                .description("Stream threads replaced after a registry outage or a broker error").register(registry);
        metricsBinder = binder;
    }

    /**
     * Closes Streams for good: as {@link #close(Duration, boolean)} with {@code returning} false, so the worker
     * leaves the consumer group.
     */
    public boolean close(final Duration timeout) {
        return close(timeout, false);
    }

    /**
     * Closes Streams: under exactly_once_v2 the open transaction is committed or aborted, never half-written.
     * A worker that is not {@code returning}, and every dynamic member, leaves the consumer group (Streams'
     * default is to stay), so its partitions move to another worker at once instead of after
     * {@code session.timeout.ms} (45 s); a dynamic member that stayed would only be replaced by a new member id
     * when it came back. A static member ({@code group.instance.id}) that is {@code returning} stays: restarted
     * within the session timeout it takes its partitions back without a rebalance, and meanwhile they wait.
     */
    public boolean close(final Duration timeout, final boolean returning) {
        final boolean stay = returning && groupInstanceId.isPresent() && !failed;
        if (failed) {
            log.info("Waiting for Streams to finish the close it began when a stream thread failed (leaving the group)");
        } else if (stay) {
            log.info("Closing Streams; staying in the group as static member {} (its partitions wait for it up to "
                    + "session.timeout.ms)", groupInstanceId.get());
        } else {
            log.info("Closing Streams and leaving the group");
        }
        final boolean closed = streams.close(CloseOptions.timeout(timeout).withGroupMembershipOperation(stay
                ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
                : CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (metricsBinder != null) {
            metricsBinder.close();
        }
        return closed;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * Replaces the stream thread where {@link StreamThreadFailurePolicy} says the failure passes (a registry outage,
     * a broker error); otherwise shuts the worker down, leaving the group (static member or not): a worker that
     * failed may fail again, and its partitions should not wait for it.
     */
    private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onStreamThreadFailure(final Throwable e) {
        switch (failurePolicy.onFailure(e)) {
            case REPLACE_REGISTRY_OUTAGE -> {
                // an outage, not a fault: a new thread takes the task from its committed offset and waits again
                log.warn("Stream thread replaced while the schema registry is unavailable: {}", e.getMessage());
                threadsReplaced.incrementAndGet();
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            case REPLACE_BROKER_ERROR -> {
                // the open transaction is aborted (or was committed); a new thread and producer go on from there
                log.warn("Stream thread replaced after a broker error (at most {} within {})",
                        StreamThreadFailurePolicy.MAX_BROKER_REPLACEMENTS,
                        StreamThreadFailurePolicy.BROKER_REPLACEMENT_WINDOW, e);
                threadsReplaced.incrementAndGet();
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            default -> {
                // the in-flight requests stay in the store; a restart resubmits them
                log.error("Stream thread failed; shutting the worker down and leaving the group", e);
                failed = true;
                startLeavingClose();
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
        }
    }

    /**
     * Starts a close that leaves the group. SHUTDOWN_CLIENT alone closes every stream thread with REMAIN_IN_GROUP
     * (overriding even the failed thread's own leave), so the partitions would wait out the session timeout;
     * once this close has begun, the SHUTDOWN_CLIENT that follows finds the client shutting down and does nothing.
     * It runs on its own thread with a zero timeout because {@link KafkaStreams#close} holds the client's lock
     * while it waits for the stream threads: when a close is already under way (a SIGTERM), this one waits
     * behind it and that close's choice stands.
     */
    private void startLeavingClose() {
        final Thread closer = new Thread(() -> streams.close(CloseOptions.timeout(Duration.ZERO)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)),
                "hrm-worker-leave-group");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(LEAVING_CLOSE_START.toMillis());
        } catch (final InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
