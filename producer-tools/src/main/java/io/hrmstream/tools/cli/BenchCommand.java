package io.hrmstream.tools.cli;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.Topics;
import io.hrmstream.tools.bench.BenchRun;
import io.hrmstream.tools.input.Preflight;
import io.hrmstream.tools.input.Puzzle;
import io.hrmstream.tools.input.PuzzleSource;
import io.hrmstream.tools.kafka.ClientSettings;
import io.hrmstream.tools.kafka.KafkaClients;
import io.hrmstream.tools.kafka.TopicCheck;
import io.hrmstream.tools.publish.SendRate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code hrm-tools bench}: publish N at rate R and collect their solutions in one process, one report. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {"Publishes N puzzles at rate R and collects their solutions in one process; prints one "
                + "report: throughput (solutions/s from the first send to the last solution), latency and round trip "
                + "p50/p95/p99, statuses, ACT steps histogram, haltedBy, and exact accuracy when answers are known.",
                "Puzzles are read (or generated) into memory first, so reading does not pace the run. "
                        + "Exit code 3 when the timeout ended the run with solutions missing."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    PuzzleSourceOptions puzzles;

    @Mixin
    ReportOptions output;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "1000",
            description = "Puzzles to publish (default ${DEFAULT-VALUE}; fewer if the input has fewer).")
    int count;

    @Option(names = "--rate", paramLabel = "N/s", defaultValue = "0", converter = SendRateConverter.class,
            description = "Publish at most this many requests per second (N/s) or minute (N/m); 0 = all at once "
                    + "(default), which measures the worker's capacity.")
    SendRate rate;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
            description = "First run this many puzzles (from the same input) and discard their report: JIT, model "
                    + "and connections warm up (default ${DEFAULT-VALUE}).")
    int warmup;

    @Mixin
    RequestOptions request;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long to wait for solutions after the last send (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--id-prefix", paramLabel = "PREFIX",
            description = "Request ids PREFIX-0, PREFIX-1, ... (default bench-<random>).")
    String idPrefix;

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
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        PrintWriter err = spec.commandLine().getErr();
        PuzzleSource source = puzzles.source(warmup + count);
        List<Puzzle> all = Preflight.load(source, warmup + (long) count, puzzles.check);
        if (all.size() <= warmup) {
            throw new IllegalArgumentException("the input has " + all.size() + " puzzles, fewer than --warmup "
                    + warmup + " plus at least one to measure");
        }
        String prefix = idPrefix != null ? idPrefix : "bench-" + UUID.randomUUID().toString().substring(0, 8);
        ClientSettings settings = kafka.settings();
        TopicCheck.requireTopics(settings, KafkaOptions.CHECK_TIMEOUT, Topics.REQUESTS, Topics.SOLUTIONS);
        Map<String, String> attributes = new LinkedHashMap<>(request.attributes);
        attributes.put("bench", prefix);
        BenchRun.Result result;
        try (Producer<String, PuzzleRequest> producer = KafkaClients.requestProducer(settings, "hrm-tools-bench");
             Consumer<String, byte[]> consumer = KafkaClients.solutionConsumer(settings, "hrm-tools-bench");
             Deserializer<PuzzleSolution> values = KafkaClients.solutionDeserializer(settings)) {
            BenchRun bench = new BenchRun(producer, consumer, values, Topics.REQUESTS, Topics.SOLUTIONS,
                    System::currentTimeMillis);
            if (warmup > 0) {
                err.printf("warm-up: %d puzzles%n", warmup);
                err.flush();
                try (Progress bar = progress.start("warm-up", warmup)) {
                    bench.run(all.subList(0, warmup), new BenchRun.Settings(prefix + "-warmup", rate,
                            request.maxSteps, request.samples, attributes, timeout), bar::step, stop::requested);
                }
            }
            List<Puzzle> measured = all.subList(warmup, all.size());
            try (Progress bar = progress.start("bench", measured.size())) {
                result = bench.run(measured, new BenchRun.Settings(prefix, rate, request.maxSteps,
                        request.samples, attributes, timeout),
                        bar::step, stop::requested);
            }
        }
        err.printf(Locale.ROOT, "published %d of %d requests from %s at %s in %.1f s%n",
                result.publish().acknowledged(), all.size() - warmup, source.describe(), rate,
                result.publish().elapsedMs() / 1000.0);
        if (!result.publish().succeeded()) {
            err.println("publish failed: " + Errors.describe(result.publish().firstFailure()));
        }
        if (result.undecodable() > 0) {
            err.printf("%d solution record(s) could not be decoded and were skipped%n", result.undecodable());
        }
        err.flush();
        output.print(result.report(), spec.commandLine().getOut());
        if (!result.publish().succeeded()) {
            return 1;
        }
        return result.report().missing() > 0 ? CollectCommand.EXIT_INCOMPLETE : 0;
    }
}
