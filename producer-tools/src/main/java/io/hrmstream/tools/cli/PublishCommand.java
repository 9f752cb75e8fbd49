package io.hrmstream.tools.cli;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.Topics;
import io.hrmstream.tools.answers.AnswersFile;
import io.hrmstream.tools.input.Preflight;
import io.hrmstream.tools.input.PuzzleSource;
import io.hrmstream.tools.input.PuzzleStream;
import io.hrmstream.tools.kafka.ClientSettings;
import io.hrmstream.tools.kafka.KafkaClients;
import io.hrmstream.tools.kafka.TopicCheck;
import io.hrmstream.tools.publish.OutgoingRequest;
import io.hrmstream.tools.publish.PublishSummary;
import io.hrmstream.tools.publish.RatePacer;
import io.hrmstream.tools.publish.RequestFactory;
import io.hrmstream.tools.publish.RequestIds;
import io.hrmstream.tools.publish.RequestPublisher;
import io.hrmstream.tools.publish.SendRate;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code hrm-tools publish}: puzzles from a file or a generator to {@code hrm.requests}. */
@Command(name = "publish",
        mixinStandardHelpOptions = true,
        description = {"Publishes puzzles to hrm.requests (key = request id, value = PuzzleRequest in the Confluent "
                + "wire format).",
                "Every puzzle of a file is checked before the first one is sent. Known answers stay here: "
                        + "--answers-out writes them, with every acknowledged id, for 'collect --answers'."})
public final class PublishCommand implements Callable<Integer> {

    private static final int FAILED_IDS_SHOWN = 5;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    PuzzleSourceOptions puzzles;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "-1",
            description = "Publish at most N puzzles (default: the whole input; required with --generate).")
    long count;

    @Option(names = "--rate", paramLabel = "N/s", defaultValue = "0", converter = SendRateConverter.class,
            description = "Send at most this many requests per second (N/s) or minute (N/m); 0 = as fast as the "
                    + "broker takes them (default).")
    SendRate rate;

    @Option(names = "--id-prefix", paramLabel = "PREFIX",
            description = "Request ids PREFIX-0, PREFIX-1, ... (default: a random UUID each).")
    String idPrefix;

    @Mixin
    RequestOptions request;

    @Option(names = "--answers-out", paramLabel = "FILE",
            description = "Write each acknowledged request id with its task and known answer (JSON lines) for "
                    + "'collect --answers FILE'.")
    Path answersOut;

    @Option(names = "--topic", defaultValue = Topics.REQUESTS, description = "Topic (default ${DEFAULT-VALUE}).")
    String topic;

    @Mixin
    ProgressOptions progress;

    @Override
    public Integer call() throws Exception {
        // closed only after the report is printed: a Ctrl-C waits for it
        try (StopSignal stop = StopSignal.install(Duration.ofSeconds(30))) {
            return run(stop);
        }
    }

    private int run(StopSignal stop) throws Exception {
        PuzzleSource source = puzzles.source(count);
        PrintWriter err = spec.commandLine().getErr();
        long total = puzzles.generated() ? count : Preflight.count(source, count, puzzles.check);
        ClientSettings settings = kafka.settings();
        TopicCheck.requireTopics(settings, KafkaOptions.CHECK_TIMEOUT, topic);
        RequestFactory factory = new RequestFactory(
                idPrefix == null ? RequestIds.randomUuids() : RequestIds.numbered(idPrefix),
                request.maxSteps, request.samples, request.attributes, System::currentTimeMillis);
        List<String> failedIds = Collections.synchronizedList(new ArrayList<>());
        PublishSummary summary;
        try (Producer<String, PuzzleRequest> producer = KafkaClients.requestProducer(settings, "hrm-tools-publish");
             AnswersFile.Writer answers = answersOut == null ? null : AnswersFile.create(answersOut);
             Progress bar = progress.start("publish", total);
             PuzzleStream stream = source.open()) {
            RequestPublisher publisher = new RequestPublisher(producer, topic, factory, RatePacer.of(rate),
                    System::currentTimeMillis);
            summary = publisher.publish(stream, count, stop::requested, new RequestPublisher.Listener() {
                @Override
                public void acknowledged(OutgoingRequest request) {
                    if (answers != null) {
                        answers.write(request.kept());
                    }
                    bar.step();
                }

                @Override
                public void failed(OutgoingRequest request, Exception cause) {
                    failedIds.add(request.kept().id());
                }
            });
            if (stop.requested()) {
                err.println("stopped by signal");
            }
        }
        err.println(describe(summary, source, failedIds));
        err.flush();
        return summary.succeeded() ? 0 : 1;
    }

    private String describe(PublishSummary summary, PuzzleSource source, List<String> failedIds) {
        String published = String.format(Locale.ROOT, "published %d requests from %s to %s in %.1f s (%.1f/s)",
                summary.acknowledged(), source.describe(), topic, summary.elapsedMs() / 1000.0,
                summary.acknowledged() * 1000.0 / Math.max(1, summary.elapsedMs()));
        if (answersOut != null) {
            published += "; ids and answers in " + answersOut;
        }
        if (summary.succeeded()) {
            return published;
        }
        List<String> shown = failedIds.subList(0, Math.min(FAILED_IDS_SHOWN, failedIds.size()));
        return published + System.lineSeparator() + "publish failed: " + summary.failed()
                + " request(s) not delivered " + shown + (failedIds.size() > shown.size() ? "..." : "")
                + ": " + Errors.describe(summary.firstFailure());
    }
}
