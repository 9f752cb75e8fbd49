package io.hrmstream.worker.ops;

import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.engine.ContinuousBatchingEngine;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.ModelDescriptor;
import io.hrmstream.worker.engine.SolverEngine;
import io.hrmstream.worker.engine.StepListener;
import io.hrmstream.worker.engine.StepStats;
import io.hrmstream.worker.stream.OversizedRecordHandler;
import io.hrmstream.worker.stream.SolveObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The worker's meters, in one Prometheus registry (scraped at {@code /metrics} by {@link OpsServer}).
 *
 * <p>From the stream processor ({@link SolveObserver}, stream threads): {@code hrm_requests_received_total},
 * {@code hrm_requests_dead_lettered_total}, {@code hrm_solutions_total{status}},
 * {@code hrm_solutions_halted_total{halted_by}}, {@code hrm_act_steps{task}} (histogram, one bucket per step up to
 * the engine's step ceiling), the solution's own timings
 * {@code hrm_solution_queued_seconds}, {@code hrm_solution_inference_seconds} and
 * {@code hrm_solution_latency_seconds} (submittedAtMs to the answer, when the client set it).
 * From the engine ({@link #stepListener()}, inference thread): {@code hrm_engine_step_seconds},
 * {@code hrm_engine_occupied_slots} (histogram, one sample per step), {@code hrm_engine_queue_depth} (after the
 * step's admission) and {@code hrm_engine_pending} (queued plus in slots); with them {@code hrm_engine_slots{task}},
 * the engine's resident batch, so occupancy is {@code occupied / slots}. {@code hrm_model_info} is 1 with the
 * model's name, task, architecture and device ({@code cpu}, {@code gpu0}) as labels ({@code model="none"} without
 * a model).
 * Plus Micrometer's JVM, processor and uptime binders and, via {@code StreamsWorker.bindMetrics}, its
 * Kafka Streams binder (Streams, consumer, producer and admin client metrics) and
 * {@code hrm_stream_threads_replaced_total} (after a registry outage or a broker error), each consumer fetch metric once
 * per topic (not also under the dot-free topic name Kafka's consumer adds).
 */
public final class WorkerMetrics implements SolveObserver {

    /** Micrometer's name prefix of the Kafka consumer's fetch-manager metrics (lag, lead, bytes and records). */
    private static final String CONSUMER_FETCH_METRICS = "kafka.consumer.fetch.manager.";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final Counter requests;
    private final Counter deadLetters;
    private final Map<SolveStatus, Counter> solutions = new EnumMap<>(SolveStatus.class);
    /** Per task (one engine each): its engine's step ceiling fixes the buckets, known only when it is bound. */
    private final Map<String, DistributionSummary> actSteps = new ConcurrentHashMap<>();
    private final Timer queued;
    private final Timer inference;
    private final Timer latency;
    private final Timer stepTime;
    private final DistributionSummary occupiedSlots;
    private final AtomicInteger queueDepth = new AtomicInteger();
    private final AtomicInteger waitingForRegistry = new AtomicInteger();
    private final Counter registryWaits;
    private final Counter nonFinite;
    private final Counter escalations;
    private final Counter viewsStarted;
    private final DistributionSummary computeSteps;

    public WorkerMetrics(final String workerId) {
        registry.config().commonTags("worker", workerId).meterFilter(withoutDotFreeTopicDuplicates());
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        requests = Counter.builder("hrm.requests.received")
                .description("Records of hrm.requests that reached the processor").register(registry);
        deadLetters = Counter.builder("hrm.requests.dead.lettered")
                .description("Undecodable records sent to hrm.requests.dlq").register(registry);
        for (final SolveStatus status : SolveStatus.values()) {
            solutions.put(status, Counter.builder("hrm.solutions").tag("status", status.name())
                    .description("Solutions written to hrm.solutions").register(registry));
        }
        queued = latencyTimer("hrm.solution.queued", "From submit to the engine until the puzzle's first step");
        inference = latencyTimer("hrm.solution.inference", "From the puzzle's first step until it halted");
        latency = latencyTimer("hrm.solution.latency",
                "From the request's submittedAtMs until its solution was written (end to end)");
        stepTime = Timer.builder("hrm.engine.step").description("One ACT step over the occupied slots")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        occupiedSlots = DistributionSummary.builder("hrm.engine.occupied.slots")
                .description("Occupied slots (batch size) of each engine step")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256).register(registry);
        Gauge.builder("hrm.registry.waiting", waitingForRegistry, AtomicInteger::get)
                .description("Stream threads waiting now for an unreachable schema registry").register(registry);
        registryWaits = Counter.builder("hrm.registry.waits")
                .description("Times a stream thread began waiting out an unreachable schema registry")
                .register(registry);
        nonFinite = Counter.builder("hrm.model.non.finite")
                .description("Puzzles or views ended because the model's q logits were NaN or infinite")
                .register(registry);
        escalations = Counter.builder("hrm.guess.escalations")
                .description("Requests whose first answer failed the verifier and raced augmented views")
                .register(registry);
        viewsStarted = Counter.builder("hrm.guess.views.queued")
                .description("Augmented views queued by escalations (the first view of a request not counted)")
                .register(registry);
        computeSteps = DistributionSummary.builder("hrm.solution.compute.steps")
                .description("ACT steps a request spent over all its views (REJECTED ones excluded)")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256).register(registry);
        FunctionCounter.builder("hrm.records.oversized.dead.lettered", OversizedRecordHandler.class,
                        c -> OversizedRecordHandler.deadLettered())
                .description("Output records too large to write, replaced by a truncated dead letter")
                .register(registry);
        Gauge.builder("hrm.engine.queue.depth", queueDepth, AtomicInteger::get)
                .description("Puzzles queued for a slot after the last step's admission").register(registry);
    }

    /**
     * Kafka's consumer reports every topic-tagged fetch metric twice, as {@code topic="hrm.requests"} and again as
     * {@code topic="hrm_requests"} (the dots replaced, an older form kept for compatibility): summed over the
     * {@code topic} label, lag would count double. This keeps the topic's real name only.
     */
    private static MeterFilter withoutDotFreeTopicDuplicates() {
        final Set<String> dotFree = Stream.of(Topics.REQUESTS, Topics.SOLUTIONS, Topics.REQUESTS_DLQ)
                .filter(topic -> topic.contains(".")).map(topic -> topic.replace('.', '_'))
                .collect(Collectors.toUnmodifiableSet());
        return MeterFilter.deny(id -> {
            final String topic = id.getTag("topic");   // null for client-level metrics
            return topic != null && id.getName().startsWith(CONSUMER_FETCH_METRICS) && dotFree.contains(topic);
        });
    }

    private Timer latencyTimer(final String name, final String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
    }

    /** Reports the served models (or their absence) and, per engine, its pending puzzles and cancelled views. */
    public void bindEngines(final EngineRoster engines) {
        if (engines.isEmpty()) {
            Gauge.builder("hrm.model.info", () -> 1).tags(Tags.of("model", "none", "task", "", "architecture", "",
                    "device", "")).description("The loaded model; the value is always 1").register(registry);
        }
        for (final SolverEngine engine : engines.engines()) {
            final Tags model = modelTags(engine.model());
            Gauge.builder("hrm.model.info", () -> 1).tags(model)
                    .description("The loaded model; the value is always 1").register(registry);
            final Tags task = Tags.of("task", engine.model().task());
            Gauge.builder("hrm.engine.pending", engine, SolverEngine::pending).tags(task)
                    .description("Puzzles accepted by the engine and not yet completed").register(registry);
            bindEngineShape(engine);
            if (engine instanceof ContinuousBatchingEngine batching) {
                FunctionCounter.builder("hrm.engine.cancelled", batching, c -> c.stats().cancelled()).tags(task)
                        .description("Views cancelled before they halted (a race won by another view)")
                        .register(registry);
            }
        }
    }

    /**
     * The meters whose shape the engine fixes: the ACT step histogram with one bucket per step up to the engine's
     * step ceiling (the largest cap a request may ask for), and the total slots.
     */
    private void bindEngineShape(final SolverEngine engine) {
        final String task = engine.model().task();
        actSteps.computeIfAbsent(task, name -> DistributionSummary.builder("hrm.act.steps").tag("task", name)
                .description("ACT steps a puzzle used (REJECTED ones excluded)")
                .serviceLevelObjectives(everyStep(engine.stepCeiling())).register(registry));
        if (engine instanceof ContinuousBatchingEngine batching) {
            Gauge.builder("hrm.engine.slots", batching, ContinuousBatchingEngine::capacity).tag("task", task)
                    .description("Slots of the engine's resident batch: the most puzzles one step runs")
                    .register(registry);
        }
    }

    private static double[] everyStep(final int ceiling) {
        return IntStream.rangeClosed(1, ceiling).asDoubleStream().toArray();
    }

    private static Tags modelTags(final ModelDescriptor model) {
        return Tags.of("model", model.name(), "task", model.task(), "architecture", model.architecture(),
                "device", deviceLabel(model.device()));
    }

    /** DJL's device name without its brackets: {@code cpu()} is {@code cpu}, {@code gpu(0)} is {@code gpu0}. */
    static String deviceLabel(final String device) {
        return device.replace("(", "").replace(")", "");
    }

    /** For the engine: records each step's time, batch size and queue depth; never blocks. */
    public StepListener stepListener() {
        return stats -> onStep(stats);
    }

    private void onStep(final StepStats stats) {
        queueDepth.set(stats.queueDepth());
        if (stats.occupiedSlots() > 0) {
            stepTime.record(stats.stepNanos(), TimeUnit.NANOSECONDS);
            occupiedSlots.record(stats.occupiedSlots());
        }
    }

    @Override
    public void onRequest() {
        requests.increment();
    }

    @Override
    public void onDeadLetter() {
        deadLetters.increment();
    }

    @Override
    public void onRegistryUnavailable(final boolean waiting) {
        if (waiting) {
            registryWaits.increment();
            waitingForRegistry.incrementAndGet();
        } else {
            waitingForRegistry.decrementAndGet();
        }
    }

    /** True while a stream thread waits out a schema registry outage (readiness is then false). */
    public boolean waitingForRegistry() {
        return waitingForRegistry.get() > 0;
    }

    @Override
    public void onNonFiniteOutput() {
        nonFinite.increment();
    }

    @Override
    public void onEscalation(final int views) {
        escalations.increment();
        viewsStarted.increment(views);
    }

    @Override
    public void onViewWon(final int viewIndex) {
        registry.counter("hrm.guess.wins", "view", Integer.toString(viewIndex)).increment();
    }

    @Override
    public void onSolution(final PuzzleSolution solution) {
        solutions.get(solution.getStatus()).increment();
        if (solution.getStatus() != SolveStatus.REJECTED) {
            final DistributionSummary steps = actSteps.get(solution.getTask());
            if (steps != null) {
                steps.record(solution.getSteps());
            }
            computeSteps.record(solution.getComputeSteps());
            registry.counter("hrm.solutions.halted", "halted_by", solution.getHaltedBy().name()).increment();
            queued.record(solution.getQueuedMs(), TimeUnit.MILLISECONDS);
            inference.record(solution.getInferenceMs(), TimeUnit.MILLISECONDS);
        }
        if (solution.getLatencyMs() != null) {
            latency.record(Math.max(0, solution.getLatencyMs()), TimeUnit.MILLISECONDS);
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
