package io.hrmstream.tools.dlq;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.hrmstream.tools.dlq.DeadLetterTest.letter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayPlanTest {

    private static final byte[] VALUE = "not avro".getBytes(StandardCharsets.UTF_8);

    private static final DeadLetter A = letter(0, 0, "a".getBytes(StandardCharsets.UTF_8), VALUE, null);
    private static final DeadLetter B = letter(0, 1, "b".getBytes(StandardCharsets.UTF_8), VALUE, null);
    private static final DeadLetter CUT = letter(1, 0, "c".getBytes(StandardCharsets.UTF_8), VALUE, "2000000");
    private static final DeadLetter D = letter(1, 1, "d".getBytes(StandardCharsets.UTF_8), VALUE, null);

    private static List<PartitionOffset> positions(List<DeadLetter> letters) {
        return letters.stream().map(DeadLetter::at).toList();
    }

    @Test
    void allReplaysEveryRecordButTheCutOnesInTopicOrder() {
        ReplayPlan plan = ReplayPlan.all(List.of(D, CUT, B, A));
        assertEquals(List.of(A.at(), B.at(), D.at()), positions(plan.replay()));
        assertEquals(1, plan.refusals().size());
        assertTrue(plan.refusals().get(0).startsWith("1@0: not replayed: its value was cut"), plan.refusals().get(0));
        assertFalse(plan.complete());
    }

    @Test
    void offsetsReplayOnlyThoseAndEachOnce() {
        ReplayPlan plan = ReplayPlan.offsets(List.of(A, B, D),
                List.of(new PartitionOffset(1, 1), new PartitionOffset(0, 0), new PartitionOffset(1, 1)),
                "hrm.requests.dlq");
        assertEquals(List.of(A.at(), D.at()), positions(plan.replay()));
        assertTrue(plan.complete());
    }

    @Test
    void anOffsetThatIsNotInTheTopicIsRefusedByName() {
        ReplayPlan plan = ReplayPlan.offsets(List.of(A, CUT),
                List.of(new PartitionOffset(0, 0), new PartitionOffset(1, 0), new PartitionOffset(5, 9)),
                "hrm.requests.dlq");
        assertEquals(List.of(A.at()), positions(plan.replay()));
        assertEquals(2, plan.refusals().size());
        assertTrue(plan.refusals().get(0).startsWith("1@0: not replayed: its value was cut"));
        assertEquals("5@9: not replayed: no such record in hrm.requests.dlq (read up to its end as of the start)",
                plan.refusals().get(1));
    }

    @Test
    void anEmptyTopicReplaysNothingAndMissesNothing() {
        ReplayPlan plan = ReplayPlan.all(List.of());
        assertTrue(plan.replay().isEmpty());
        assertTrue(plan.complete());
    }
}
