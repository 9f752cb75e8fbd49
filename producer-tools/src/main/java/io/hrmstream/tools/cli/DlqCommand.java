package io.hrmstream.tools.cli;

import io.hrmstream.schemas.Topics;
import io.hrmstream.tools.dlq.DeadLetter;
import io.hrmstream.tools.dlq.PartitionOffset;
import io.hrmstream.tools.dlq.ReplayPlan;
import io.hrmstream.tools.kafka.ClientSettings;
import io.hrmstream.tools.kafka.KafkaClients;
import io.hrmstream.tools.kafka.TopicCheck;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** {@code hrm-tools dlq}: lists hrm.requests.dlq and replays chosen dead letters to hrm.requests. */
@Command(name = "dlq",
        mixinStandardHelpOptions = true,
        description = {"Lists hrm.requests.dlq from the beginning to its end as of the start (read_committed): "
                + "partition@offset, key, the reason (hrm.error), the source topic-partition@offset, hrm.truncated "
                + "when the value was cut, and the value size.",
                "--replay republishes the chosen records' key and value bytes unchanged to hrm.requests, without the "
                        + "worker's hrm.* headers; a record whose value was cut is refused. Exit code 1 when a "
                        + "chosen record was not replayed."})
public final class DlqCommand implements Callable<Integer> {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--replay",
            description = "Republish the records chosen with --offsets or --all to the --replay-to topic.")
    boolean replay;

    @Option(names = "--offsets", paramLabel = "P@O", split = ",", converter = PartitionOffsetConverter.class,
            description = "With --replay: the records to republish, as listed (PARTITION@OFFSET, comma-separated).")
    List<PartitionOffset> offsets = new ArrayList<>();

    @Option(names = "--all", description = "With --replay: republish every record that can be replayed.")
    boolean all;

    @Option(names = "--topic", defaultValue = Topics.REQUESTS_DLQ,
            description = "Dead-letter topic to read (default ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--replay-to", paramLabel = "TOPIC", defaultValue = Topics.REQUESTS,
            description = "Where --replay sends the records (default ${DEFAULT-VALUE}).")
    String replayTo;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Give up when the end of the topic is not reached within this long (default "
                    + "${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        boolean chosen = all || !offsets.isEmpty();
        if (replay && all == !offsets.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--replay needs either --offsets P@O[,P@O...] or --all");
        }
        if (!replay && chosen) {
            throw new ParameterException(spec.commandLine(), "--offsets and --all choose records for --replay");
        }
        // a Ctrl-C ends the read between polls; nothing is replayed from a listing that did not reach the end
        try (StopSignal stop = StopSignal.install(Duration.ofSeconds(10))) {
            return run(stop);
        }
    }

    private int run(StopSignal stop) throws Exception {
        ClientSettings settings = kafka.settings();
        if (replay) {
            TopicCheck.requireTopics(settings, KafkaOptions.CHECK_TIMEOUT, topic, replayTo);
        } else {
            TopicCheck.requireTopics(settings, KafkaOptions.CHECK_TIMEOUT, topic);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Set<PartitionOffset> wanted = new HashSet<>(offsets);
        // only the chosen records are kept: a listing holds one line at a time, however large the topic
        List<DeadLetter> kept = new ArrayList<>();
        long listed = 0;
        try (Consumer<byte[], byte[]> consumer = KafkaClients.rawConsumer(settings, "hrm-tools-dlq")) {
            List<TopicPartition> partitions = KafkaClients.assignAll(consumer, topic, true);
            // under read_committed these are the last stable offsets: what is committed now, no open transaction
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (!reachedEnd(consumer, end)) {
                if (stop.requested()) {
                    err.println("stopped by signal before the end of " + topic
                            + (replay ? ": nothing replayed" : ""));
                    err.flush();
                    return replay ? 1 : 0;
                }
                if (System.currentTimeMillis() >= deadline) {
                    throw new IllegalStateException("the end of " + topic + " was not reached within "
                            + timeout.toSeconds() + " s (" + listed + " record(s) read)"
                            + (replay ? ": nothing replayed" : ""));
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;   // written after the start: the next run lists it
                    }
                    DeadLetter letter = DeadLetter.of(record);
                    out.println(letter.describe());
                    listed++;
                    if (all || wanted.contains(letter.at())) {
                        kept.add(letter);
                    }
                }
                out.flush();
            }
        }
        err.println(listed + " record(s) in " + topic);
        err.flush();
        if (!replay) {
            return 0;
        }
        ReplayPlan plan = all ? ReplayPlan.all(kept) : ReplayPlan.offsets(kept, offsets, topic);
        plan.refusals().forEach(err::println);
        int replayed = send(settings, plan.replay(), err);
        err.println("replayed " + replayed + " of " + (plan.replay().size() + plan.refusals().size())
                + " record(s) to " + replayTo);
        err.flush();
        return plan.complete() && replayed == plan.replay().size() ? 0 : 1;
    }

    private static boolean reachedEnd(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        // position() passes transaction markers too, so a partition ending in a commit marker is finished as well
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** @return how many the broker acknowledged; each failure is one line on {@code err} */
    private int send(ClientSettings settings, List<DeadLetter> letters, PrintWriter err) throws InterruptedException {
        if (letters.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        int acknowledged = 0;
        try (Producer<byte[], byte[]> producer = KafkaClients.rawProducer(settings, "hrm-tools-dlq-replay")) {
            letters.forEach(letter -> sent.add(producer.send(letter.replay(replayTo))));
            producer.flush();
            for (int i = 0; i < sent.size(); i++) {
                try {
                    sent.get(i).get();
                    acknowledged++;
                } catch (ExecutionException e) {
                    err.println(letters.get(i).at() + ": not replayed: " + Errors.describe(e.getCause()));
                }
            }
        }
        return acknowledged;
    }
}
