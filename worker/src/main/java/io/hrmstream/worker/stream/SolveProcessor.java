package io.hrmstream.worker.stream;

import io.hrmstream.puzzles.GridSymmetry;
import io.hrmstream.puzzles.PuzzleSymmetries;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.engine.EngineClosedException;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.NonFiniteOutputException;
import io.hrmstream.worker.engine.SolveRequest;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;

/**
 * Solves the requests of one stream task on the JVM-wide {@link SolverEngine}.
 *
 * <ul>
 * <li>{@link #process}: decodes the record (undecodable: to the dead-letter topic, as it came, with
 *     {@link DeadLetterHeaders}), validates it (invalid: a REJECTED solution at once), otherwise puts its bytes
 *     into the changelogged in-flight store under its id and submits it to the engine.</li>
 * <li>Engine results come back on the engine's thread; they are only queued there ({@link TaskSubmissions}).
 *     A wall-clock punctuator, on the stream thread, forwards the queued ones and deletes them from the store,
 *     so the output record and the store delete are in the same transaction under exactly_once_v2.</li>
 * <li>{@link #init}: every request still in the store (a crash, a rebalance, a restart) is submitted again;
 *     the store is the only record of work in flight, so nothing is lost and, under exactly_once_v2, nothing
 *     is answered twice. A result whose request is no longer in the store is dropped.</li>
 * </ul>
 *
 * <p>Backpressure. Kafka Streams cannot pause one task, and it cannot punctuate while {@code process()}
 * runs. So the bound is on what this task has <em>in the engine</em>: {@link TaskSubmissions#submit} blocks in
 * {@code process()} (bounded wait) until the engine completes one of the task's puzzles, without forwarding
 * anything. That unblocks as soon as the engine makes progress, because the permit is released by the
 * engine's callback, not by the punctuator. The stream thread punctuates between processing rounds (and it
 * halves its records per round whenever a punctuator ran), so completed results leave the store within about
 * one punctuation interval. Memory therefore stays flat when requests arrive faster than they are solved:
 * at most {@code maxInFlightPerTask} puzzles per task in the engine, plus the results of one punctuation
 * interval, plus the records Streams buffers per partition before it pauses fetching
 * ({@code buffered.records.per.partition}).
 *
 * <p>A request whose id is already in flight is skipped when its bytes are the same (a redelivery under
 * at_least_once) and rejected when they differ.
 */
final class SolveProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(SolveProcessor.class);

    private final EngineRoster engines;
    private final Deserializer<PuzzleRequest> requestDeserializer;
    private final RequestValidator validator;
    private final SolutionFactory solutions;
    private final int maxInFlightPerTask;
    private final Duration engineWait;
    private final Duration forwardInterval;
    private final SolveObserver observer;
    private final RegistryOutage registryOutage;
    private final ArcVoting arcVoting;

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, byte[]> inFlight;
    /** Empty without an engine: then nothing is ever stored or submitted. */
    private Optional<TaskSubmissions> submissions;
    /** Requests found in the store at init that the current model rejects; forwarded by the punctuator. */
    private final Queue<Rejection> rejectedOnInit = new ArrayDeque<>();
    /** Requests whose first answer failed the verifier, racing augmented views (guess scaling). */
    private final Map<String, ViewRace> races = new HashMap<>();
    /** ARC requests voted over their task's augmented copies ({@link ArcVoting}). */
    private final Map<String, ArcBallot> ballots = new HashMap<>();

    SolveProcessor(final EngineRoster engines, final Deserializer<PuzzleRequest> requestDeserializer,
                   final String workerId, final int maxInFlightPerTask, final Duration engineWait,
                   final Duration forwardInterval, final GuessScaling guessScaling, final SolveObserver observer) {
        this(engines, requestDeserializer, workerId, maxInFlightPerTask, engineWait, forwardInterval, guessScaling,
                ArcVoting.off(), observer);
    }

    SolveProcessor(final EngineRoster engines, final Deserializer<PuzzleRequest> requestDeserializer,
                   final String workerId, final int maxInFlightPerTask, final Duration engineWait,
                   final Duration forwardInterval, final GuessScaling guessScaling, final ArcVoting arcVoting,
                   final SolveObserver observer) {
        this.arcVoting = arcVoting;
        this.observer = observer;
        this.registryOutage = new RegistryOutage(observer, RegistryOutage.MAX_BLOCK);
        this.engines = engines;
        this.requestDeserializer = requestDeserializer;
        this.validator = new RequestValidator(engines.models(), guessScaling);
        this.solutions = new SolutionFactory(workerId, engines.models());
        this.maxInFlightPerTask = maxInFlightPerTask;
        this.engineWait = engineWait;
        this.forwardInterval = forwardInterval;
    }

    @Override
    public void init(final ProcessorContext<Object, Object> context) {
        this.context = context;
        this.inFlight = context.getStateStore(SolveTopology.IN_FLIGHT_STORE);
        this.submissions = engines.isEmpty() ? Optional.empty()
                : Optional.of(new TaskSubmissions(engines, maxInFlightPerTask, engineWait));
        context.schedule(forwardInterval, PunctuationType.WALL_CLOCK_TIME, this::forwardCompleted);
        resubmitInFlight();
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final RecordMetadata source = context.recordMetadata().orElseThrow();
        observer.onRequest();
        final PuzzleRequest request;
        try {
            request = registryOutage.await(() -> decode(source.topic(), record),
                    "decoding " + source.topic() + "-" + source.partition() + "@" + source.offset());
        } catch (final SerializationException e) {
            sendToDeadLetters(record, source, e.getMessage());
            return;
        }
        final RequestValidator.Verdict verdict = validator.validate(request);
        if (verdict instanceof RequestValidator.Rejected rejected) {
            forwardSolution(request, solutions.rejected(request, rejected.reason(), context.currentSystemTimeMs()),
                    record.timestamp());
            return;
        }
        final String id = request.getId();
        final byte[] alreadyInFlight = inFlight.get(id);
        if (alreadyInFlight != null) {
            if (Arrays.equals(alreadyInFlight, record.value())) {
                log.debug("Request {} at {}-{}@{} is already in flight; redelivery skipped",
                        id, source.topic(), source.partition(), source.offset());
            } else {
                forwardSolution(request, solutions.rejected(request, "another request with id '" + id
                        + "' is in flight; ids must be unique", context.currentSystemTimeMs()), record.timestamp());
            }
            return;
        }
        // submit first: it may wait for the engine, and may give up, and then the request was never in flight
        final Optional<String> refused = start(request, (RequestValidator.Accepted) verdict);
        if (refused.isPresent()) {
            forwardSolution(request, solutions.rejected(request, refused.get(), context.currentSystemTimeMs()),
                    record.timestamp());
            return;
        }
        inFlight.put(id, record.value());
    }

    @Override
    public void close() {
        submissions.ifPresent(s -> {
            if (s.pending() > 0) {
                log.info("Task {} closes with {} requests in the engine; they stay in flight in its store",
                        context.taskId(), s.pending());
            }
        });
        requestDeserializer.close();
    }

    /** The punctuator: forwards what the engine completed since the last call. Stream thread. */
    private void forwardCompleted(final long nowMs) {
        for (Rejection r = rejectedOnInit.poll(); r != null; r = rejectedOnInit.poll()) {
            forwardAnswer(r.request(), solutions.rejected(r.request(), r.reason(), nowMs), nowMs);
        }
        submissions.ifPresent(s -> {
            s.drainTo(completion -> forwardCompletion(completion, nowMs));
            s.startWaitingViews();
        });
    }

    private void forwardCompletion(final TaskSubmissions.Completion completion, final long nowMs) {
        final PuzzleRequest request = completion.request();
        if (inFlight.get(request.getId()) == null) {
            log.debug("Result for {} dropped: no longer in flight in task {}", request.getId(), context.taskId());
            races.remove(request.getId());
            ballots.remove(request.getId());
            return;
        }
        if (completion instanceof TaskSubmissions.Failed failed) {
            final Throwable cause = failed.cause();
            if (cause instanceof EngineClosedException) {
                throw new StreamsException("the solver engine closed while task " + context.taskId()
                        + " had requests in flight; they stay in its store and are resubmitted on restart", cause);
            }
            final ArcBallot ballot = ballots.get(request.getId());
            if (ballot != null) {
                if (cause instanceof NonFiniteOutputException) observer.onNonFiniteOutput();
                log.warn("The engine failed on ARC view {} of request {}", failed.view().index(), request.getId(), cause);
                ballot.failed();
                finishBallotIfDecided(request, ballot, nowMs);
                return;
            }
            final ViewRace race = races.get(request.getId());
            if (race != null) {
                if (cause instanceof NonFiniteOutputException) observer.onNonFiniteOutput();
                log.warn("The engine failed on view {} of request {}", failed.view().index(), request.getId(), cause);
                race.failed();
                finishRaceIfDecided(request, race, -1, nowMs);
                return;
            }
            if (cause instanceof NonFiniteOutputException) {
                log.warn("Request {}: {}", request.getId(), cause.getMessage());
                observer.onNonFiniteOutput();
                forwardAnswer(request, solutions.failed(request, cause.getMessage(), nowMs), nowMs);
                return;
            }
            log.warn("The engine failed on request {}", request.getId(), cause);
            forwardAnswer(request, solutions.rejected(request, "engine failed: " + cause, nowMs), nowMs);
            return;
        }
        final TaskSubmissions.Solved solved = (TaskSubmissions.Solved) completion;
        final TaskSubmissions.View view = solved.view();
        final PuzzleSolution answer = view.symmetry() == null
                ? solutions.solved(request, solved.task(), solved.result(), nowMs)
                : solutions.solved(request, solved.task(), solved.result(),
                        view.symmetry().invert(solved.task().decode(solved.result().tokens(),
                                view.symmetry().apply(request.getGrid()))), nowMs);
        final ArcBallot ballot = ballots.get(request.getId());
        if (ballot != null) {
            ballot.answered(view.index(), answer);
            finishBallotIfDecided(request, ballot, nowMs);
            return;
        }
        final ViewRace race = races.get(request.getId());
        if (race != null) {
            race.answered(answer);
            finishRaceIfDecided(request, race, view.index(), nowMs);
        } else if (!escalate(request, solved, answer)) {
            forwardAnswer(request, answer, nowMs);
        }
    }

    /**
     * Guess scaling: when the first answer fails the task's verifier and the request allows more views, races
     * {@code samples - 1} augmented views of the puzzle instead of answering. Returns false when it does not.
     */
    private boolean escalate(final PuzzleRequest request, final TaskSubmissions.Solved first,
                             final PuzzleSolution answer) {
        final int samples = first.accepted().samples();
        final Optional<PuzzleSymmetries> symmetries = first.task().symmetries();
        if (answer.getStatus() != SolveStatus.INVALID || samples <= 1 || symmetries.isEmpty()) {
            return false;
        }
        final long seed = GuessScaling.seedOf(request.getId());
        final List<TaskSubmissions.View> views = new ArrayList<>(samples - 1);
        final List<SolveRequest> solveRequests = new ArrayList<>(samples - 1);
        final SolveRequest plain = first.accepted().solveRequest();
        for (int k = 1; k < samples; k++) {
            final GridSymmetry symmetry = symmetries.get().view(request.getGrid(), seed, k);
            views.add(new TaskSubmissions.View(k, symmetry));
            solveRequests.add(new SolveRequest(request.getId() + "/v" + k,
                    first.task().encode(symmetry.apply(request.getGrid())), plain.puzzleIdentifier(),
                    plain.maxSteps()));
        }
        races.put(request.getId(), new ViewRace(samples, answer));
        submissions.orElseThrow().submitViews(request, first.accepted(), views, solveRequests);
        observer.onEscalation(samples - 1);
        return true;
    }

    /** Answers a race once a view verified (the others are cancelled) or every view has finished. */
    private void finishRaceIfDecided(final PuzzleRequest request, final ViewRace race, final int viewIndex,
                                     final long nowMs) {
        if (!race.decided()) {
            return;
        }
        races.remove(request.getId());
        final int cancelledSteps = submissions.orElseThrow().cancel(request.getId());
        final PuzzleSolution answer = solutions.sentAt(request, race.answer(cancelledSteps), nowMs);
        if (answer.getStatus() == SolveStatus.SOLVED) {
            observer.onViewWon(viewIndex);
        }
        forwardAnswer(request, answer, nowMs);
    }

    /**
     * Submits an accepted request to the engine: as sent, or as the ARC copies it is voted over (the first waits
     * for a permit like any request, the others queue as guess-scaling views do). Returns why not when the ARC
     * vote refuses it.
     */
    private Optional<String> start(final PuzzleRequest request, final RequestValidator.Accepted accepted) {
        final ArcVoting.Plan plan = arcVoting.plan(request, accepted,
                engines.forTask(accepted.task().name()).orElseThrow().model().numPuzzleIdentifiers());
        if (plan instanceof ArcVoting.Refused refused) {
            return Optional.of(refused.reason());
        }
        if (plan instanceof ArcVoting.Views arc) {
            final int views = arc.views().size();
            ballots.put(request.getId(), new ArcBallot(views));
            submissions.orElseThrow().submit(request, accepted, arc.views().get(0), arc.solveRequests().get(0));
            submissions.orElseThrow().submitViews(request, accepted, arc.views().subList(1, views),
                    arc.solveRequests().subList(1, views));
        } else {
            submissions.orElseThrow().submit(request, accepted);
        }
        return Optional.empty();
    }

    /** Answers an ARC request by the official vote once every view has finished. */
    private void finishBallotIfDecided(final PuzzleRequest request, final ArcBallot ballot, final long nowMs) {
        if (!ballot.decided()) {
            return;
        }
        ballots.remove(request.getId());
        forwardAnswer(request, ballot.answer().map(voted -> solutions.sentAt(request, voted, nowMs))
                .orElseGet(() -> solutions.failed(request, "the engine failed on every ARC view", nowMs)), nowMs);
    }

    /** Forwards the answer of an in-flight request and ends its flight, in the same transaction. */
    private void forwardAnswer(final PuzzleRequest request, final PuzzleSolution solution, final long nowMs) {
        forwardSolution(request, solution, nowMs);
        inFlight.delete(solution.getRequestId());
    }

    private void forwardSolution(final PuzzleRequest request, final PuzzleSolution solution, final long timestamp) {
        // the sink's serializer asks the registry for the solution schema's id once (then caches it): a worker whose
        // first answer falls into an outage waits like a record being decoded. The serializer fails before the
        // record reaches the producer, so forwarding again sends it once.
        registryOutage.await(() -> {
            context.forward(new Record<>(solution.getRequestId(), solution, timestamp), SolveTopology.SOLUTIONS_SINK);
            return null;
        }, "writing the solution to " + solution.getRequestId());
        observer.onSolution(request, solution);
    }

    private void sendToDeadLetters(final Record<byte[], byte[]> record, final RecordMetadata source,
                                   final String reason) {
        log.warn("Undecodable record at {}-{}@{} sent to {}: {}",
                source.topic(), source.partition(), source.offset(), Topics.REQUESTS_DLQ, reason);
        DeadLetterHeaders.describe(record.headers(), reason, source);
        // a value that would not fit a record is cut here: under exactly_once_v2 a send that fails for size
        // poisons the transaction, so it must never be attempted
        final byte[] value = DeadLetterHeaders.fit(record.key(), record.value(), record.headers());
        context.forward(record.withValue(value), SolveTopology.DEAD_LETTER_SINK);
        observer.onDeadLetter();
    }

    private void resubmitInFlight() {
        final List<KeyValue<String, byte[]>> stored = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = inFlight.all()) {
            all.forEachRemaining(stored::add);
        }
        if (stored.isEmpty()) {
            return;
        }
        log.info("Task {} resubmits {} requests that were in flight", context.taskId(), stored.size());
        for (final KeyValue<String, byte[]> entry : stored) {
            final PuzzleRequest request;
            try {
                request = registryOutage.await(() -> requestDeserializer.deserialize(Topics.REQUESTS, entry.value),
                        "decoding in-flight request " + entry.key);
            } catch (final SerializationException e) {
                // these bytes were decoded once; failing now means the registry is unreachable or lost the
                // schema: stop rather than drop the request
                throw new StreamsException("cannot decode in-flight request " + entry.key + " again", e);
            }
            final RequestValidator.Verdict verdict = validator.validate(request);
            if (verdict instanceof RequestValidator.Accepted accepted) {
                start(request, accepted).ifPresent(reason -> rejectedOnInit.add(new Rejection(request, reason)));
            } else {
                // e.g. the worker restarted with another model or none; init() must not forward
                rejectedOnInit.add(new Rejection(request, ((RequestValidator.Rejected) verdict).reason()));
            }
        }
    }

    private PuzzleRequest decode(final String topic, final Record<byte[], byte[]> record) {
        if (record.value() == null) {
            throw new SerializationException("record has no value");
        }
        final PuzzleRequest request = requestDeserializer.deserialize(topic, record.headers(), record.value());
        if (request == null) {
            throw new SerializationException("value decoded to null");
        }
        return request;
    }

    /** An in-flight request found at init that the current model rejects. */
    private record Rejection(PuzzleRequest request, String reason) {
    }
}
