package io.hrmstream.tools.cli;

import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.Topics;
import io.hrmstream.tools.collect.SolutionReader;
import io.hrmstream.tools.kafka.ClientSettings;
import io.hrmstream.tools.kafka.KafkaClients;
import io.hrmstream.tools.kafka.TopicCheck;
import io.hrmstream.tools.tail.SolutionText;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code hrm-tools tail}: prints each solution on hrm.solutions as it arrives, decoded. */
@Command(name = "tail",
        mixinStandardHelpOptions = true,
        description = {"Prints the solutions on hrm.solutions (read_committed) as they arrive: one JSON object per "
                + "line, or a header line over the drawn grid.",
                "Runs until --max solutions were printed or Ctrl-C. A record that cannot be decoded is a one-line "
                        + "warning on stderr."})
public final class TailCommand implements Callable<Integer> {

    /** How a solution is printed. */
    public enum Format { JSON, GRID }

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--from-beginning",
            description = "Start at the earliest offset of each partition (default: only solutions written from now).")
    boolean fromBeginning;

    @Option(names = "--id-prefix", paramLabel = "PREFIX",
            description = "Show only requests whose id starts with PREFIX (e.g. publish's --id-prefix).")
    String idPrefix;

    @Option(names = "--max", paramLabel = "N",
            description = "Stop after printing N solutions (default: until Ctrl-C).")
    Long max;

    @Option(names = "--format", defaultValue = "json",
            description = "${COMPLETION-CANDIDATES}: one JSON object per line, or a header line over the drawn grid "
                    + "(default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--color", negatable = true,
            description = "Draw ARC colours as ANSI backgrounds in --format grid (default: when stdout is a "
                    + "terminal).")
    Boolean color;

    @Option(names = "--topic", defaultValue = Topics.SOLUTIONS, description = "Topic (default ${DEFAULT-VALUE}).")
    String topic;

    @Override
    public Integer call() throws Exception {
        if (max != null && max < 1) {
            throw new ParameterException(spec.commandLine(), "--max must be at least 1");
        }
        // a Ctrl-C ends the read between polls, so the consumer is closed and the last line is whole
        try (StopSignal stop = StopSignal.install(Duration.ofSeconds(5))) {
            return run(stop);
        }
    }

    private int run(StopSignal stop) throws Exception {
        ClientSettings settings = kafka.settings();
        TopicCheck.requireTopics(settings, KafkaOptions.CHECK_TIMEOUT, topic);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // System.console() is null when stdout (or stdin) is not a terminal: escapes never reach a file or a pipe
        boolean ansi = color != null ? color : System.console() != null;
        long[] shown = {0};
        try (Consumer<String, byte[]> consumer = KafkaClients.solutionConsumer(settings, "hrm-tools-tail");
             Deserializer<PuzzleSolution> values = KafkaClients.solutionDeserializer(settings)) {
            SolutionReader reader = new SolutionReader(consumer, values, topic, System::currentTimeMillis);
            reader.start(fromBeginning ? SolutionReader.StartAt.EARLIEST : SolutionReader.StartAt.LATEST);
            reader.readUntil(() -> stop.requested() || enough(shown[0]), () -> Long.MAX_VALUE,
                    new SolutionReader.Sink() {
                        @Override
                        public void solution(PuzzleSolution solution, ConsumerRecord<String, byte[]> record) {
                            // one poll may bring more than --max still wants
                            if (enough(shown[0]) || !wanted(record.key(), solution.getRequestId())) {
                                return;
                            }
                            String text;
                            try {
                                text = format == Format.GRID ? SolutionText.grid(solution, ansi)
                                        : SolutionText.json(solution) + System.lineSeparator();
                            } catch (IllegalArgumentException e) {
                                warn(err, record, "cannot draw the solution", e);
                                return;
                            }
                            out.print(text);
                            out.flush();
                            shown[0]++;
                        }

                        @Override
                        public void undecodable(ConsumerRecord<String, byte[]> record, RuntimeException cause) {
                            if (wanted(record.key(), null)) {
                                warn(err, record, "cannot decode", cause);
                            }
                        }
                    });
        }
        return 0;
    }

    private boolean enough(long shown) {
        return max != null && shown >= max;
    }

    /** The key is the id as published; requestId may be cut to the worker's limit, so it is only the fallback. */
    private boolean wanted(String key, String requestId) {
        String id = key != null ? key : requestId;
        return idPrefix == null || id == null || id.startsWith(idPrefix);
    }

    private static void warn(PrintWriter err, ConsumerRecord<String, byte[]> record, String what,
                             RuntimeException cause) {
        err.printf("warning: skipped %s-%d@%d (key %s): %s: %s%n", record.topic(), record.partition(),
                record.offset(), record.key(), what, Errors.describe(cause));
        err.flush();
    }
}
