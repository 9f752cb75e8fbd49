package io.hrmstream.tools.dlq;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which dead letters a replay sends back and which it refuses, decided before anything is sent: a record whose value
 * the worker cut ({@code hrm.truncated}) is refused, and so is an offset that is not in the topic.
 *
 * @param replay   the records to republish, in topic order
 * @param refusals one message per record asked for that will not be sent
 */
public record ReplayPlan(List<DeadLetter> replay, List<String> refusals) {

    public ReplayPlan {
        replay = List.copyOf(replay);
        refusals = List.copyOf(refusals);
    }

    /** Every record that was read ({@code --all}). */
    public static ReplayPlan all(Collection<DeadLetter> read) {
        return plan(read, read.stream().map(DeadLetter::at).toList(), "");
    }

    /**
     * The records at {@code chosen} ({@code --offsets}); an offset asked for twice is sent once.
     *
     * @param topic named in the message for an offset that is not there
     */
    public static ReplayPlan offsets(Collection<DeadLetter> read, Collection<PartitionOffset> chosen, String topic) {
        return plan(read, chosen, topic);
    }

    private static ReplayPlan plan(Collection<DeadLetter> read, Collection<PartitionOffset> chosen, String topic) {
        Map<PartitionOffset, DeadLetter> byPosition = read.stream()
                .collect(Collectors.toMap(DeadLetter::at, Function.identity(), (a, b) -> a));
        List<DeadLetter> replay = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        Set<PartitionOffset> missing = new LinkedHashSet<>();
        for (PartitionOffset at : new TreeSet<>(chosen)) {
            DeadLetter letter = byPosition.get(at);
            if (letter == null) {
                missing.add(at);
            } else if (letter.replayable()) {
                replay.add(letter);
            } else {
                refusals.add(letter.refusal());
            }
        }
        missing.forEach(at -> refusals.add(at + ": not replayed: no such record in " + topic
                + " (read up to its end as of the start)"));
        return new ReplayPlan(replay, refusals);
    }

    /** True when every record asked for is sent. */
    public boolean complete() {
        return refusals.isEmpty();
    }
}
