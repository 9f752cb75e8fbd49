package io.hrmstream.tools.cli;

import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.Topics;
import io.hrmstream.tools.answers.AnswersFile;
import io.hrmstream.tools.answers.PublishedRequest;
import io.hrmstream.tools.collect.SolutionReader;
import io.hrmstream.tools.kafka.ClientSettings;
import io.hrmstream.tools.kafka.KafkaClients;
import io.hrmstream.tools.kafka.TopicCheck;
import io.hrmstream.tools.report.SolutionTally;
import io.hrmstream.tools.report.SolveReport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/** {@code hrm-tools collect}: reads hrm.solutions and reports on them. */
@Command(name = "collect",
        mixinStandardHelpOptions = true,
        description = {"Reads hrm.solutions (read_committed) and prints a report: statuses, exact accuracy against "
                + "the known answers, ACT steps histogram, haltedBy counts, latency p50/p95/p99.",
                "With --answers (written by 'publish --answers-out') it counts only those requests and stops when "
                        + "each has its solution. Exit code 3 when it stopped at the timeout with solutions missing."})
public final class CollectCommand implements Callable<Integer> {

    /** Exit code when the timeout ended the run before every expected solution arrived. */
    public static final int EXIT_INCOMPLETE = 3;
    private static final int UNDECODABLE_SHOWN = 10;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    ReportOptions output;

    @Option(names = "--answers", paramLabel = "FILE",
            description = "Answers file from 'publish --answers-out': the ids to wait for and their known answers.")
    Path answersFile;

    @Option(names = "--from",
            description = "Start at the EARLIEST or LATEST offset of each partition (default: EARLIEST with "
                    + "--answers, else LATEST).")
    SolutionReader.StartAt from;

    @Option(names = {"-n", "--count"}, paramLabel = "N",
            description = "Stop after N distinct solutions (default: all of --answers, else until the timeout).")
    Long count;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Stop after this long at the latest, e.g. 30s, 5m (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--topic", defaultValue = Topics.SOLUTIONS, description = "Topic (default ${DEFAULT-VALUE}).")
    String topic;

    @Mixin
    ProgressOptions progress;

    @Override
    public Integer call() throws Exception {
        // closed only after the report is printed: a Ctrl-C waits for it
        try (StopSignal stop = StopSignal.install(Duration.ofSeconds(10))) {
            return run(stop);
        }
    }

    private int run(StopSignal stop) throws Exception {
        Map<String, PublishedRequest> published = answersFile == null ? Map.of() : AnswersFile.read(answersFile);
        if (answersFile != null && published.isEmpty()) {
            throw new IllegalArgumentException(answersFile + " lists no requests: nothing to wait for");
        }
        SolutionReader.StartAt startAt = from != null ? from
                : answersFile != null ? SolutionReader.StartAt.EARLIEST : SolutionReader.StartAt.LATEST;
        ClientSettings settings = kafka.settings();
        TopicCheck.requireTopics(settings, KafkaOptions.CHECK_TIMEOUT, topic);
        PrintWriter err = spec.commandLine().getErr();
        SolutionTally tally = new SolutionTally(published);
        long target = count != null ? count : published.isEmpty() ? -1 : published.size();
        long[] undecodable = {0};
        try (Consumer<String, byte[]> consumer = KafkaClients.solutionConsumer(settings, "hrm-tools-collect");
             Deserializer<PuzzleSolution> values = KafkaClients.solutionDeserializer(settings);
             Progress bar = progress.start("collect", target)) {
            SolutionReader reader = new SolutionReader(consumer, values, topic, System::currentTimeMillis);
            reader.start(startAt);
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            reader.readUntil(
                    () -> stop.requested() || tally.complete() || (target >= 0 && tally.received() >= target),
                    () -> deadline,
                    new SolutionReader.Sink() {
                        @Override
                        public void solution(PuzzleSolution solution, ConsumerRecord<String, byte[]> record) {
                            if (tally.add(solution, OptionalLong.empty()) == SolutionTally.Outcome.COUNTED) {
                                bar.step();
                            }
                        }

                        @Override
                        public void undecodable(ConsumerRecord<String, byte[]> record, RuntimeException cause) {
                            if (++undecodable[0] <= UNDECODABLE_SHOWN) {
                                err.printf("skipped %s-%d@%d: cannot decode: %s%n", record.topic(),
                                        record.partition(), record.offset(), Errors.describe(cause));
                            }
                        }
                    });
        }
        if (undecodable[0] > 0) {
            err.printf("%d record(s) of %s could not be decoded and were skipped%n", undecodable[0], topic);
        }
        err.flush();
        SolveReport report = tally.report(null);
        output.print(report, spec.commandLine().getOut());
        return target >= 0 && report.received() < target ? EXIT_INCOMPLETE : 0;
    }
}
