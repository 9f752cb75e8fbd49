package io.hrmstream.worker.stream;

import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.testing.FuzzedRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU_MODEL;
import static io.hrmstream.worker.stream.TopologyFixture.sudoku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No input may stop the worker: random bytes, Confluent-framed Avro with flipped, cut or appended bytes and valid
 * requests, interleaved. Every valid request is answered exactly once; every other record is either dead-lettered
 * (undecodable) or answered once (REJECTED when decodable but invalid; a mutation can also leave a valid request,
 * which is then solved), and nothing throws out of the processor.
 * {@code -Dhrm.fuzz.records=100000} runs the long variant.
 */
class PoisonRecordFuzzTest {

    @RegisterExtension
    static final TestRegistry registry = new TestRegistry();

    @TempDir
    Path stateDir;

    @Test
    void randomAndMutatedRecordsAmongValidOnesNeverStopTheWorkerAndEachValidRequestIsAnsweredOnce() {
        final int records = Integer.getInteger("hrm.fuzz.records", 500);
        final ScriptedEngine engine = ScriptedEngine.answering(SUDOKU_MODEL, r -> ScriptedEngine.echo(r, 2));
        try (TopologyFixture worker = new TopologyFixture(registry, stateDir, EngineRoster.of(engine))) {
            final FuzzedRecords fuzzer = new FuzzedRecords(20261203, i -> template(worker, i));
            final Set<String> valid = new HashSet<>();
            int garbage = 0;
            for (int i = 0; i < records; i++) {
                final FuzzedRecords.Fuzzed record = fuzzer.next(i);
                if (record.kind() == FuzzedRecords.Kind.VALID) {
                    final String id = "valid-" + i;
                    valid.add(id);
                    worker.publish(sudoku(id).setSamples(1).build());
                } else {
                    worker.requests.pipeInput(("k" + i).getBytes(StandardCharsets.UTF_8), record.value());
                    garbage++;
                }
                if (i % 50 == 0) worker.advance(TopologyFixture.FORWARD_INTERVAL);
            }
            final Map<String, Integer> answers = new HashMap<>();
            int rejected = 0;
            int others = 0;
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline) {
                worker.advance(TopologyFixture.FORWARD_INTERVAL);
                while (!worker.solutions.isEmpty()) {
                    final PuzzleSolution s = worker.solutions.readValue();
                    if (valid.contains(s.getRequestId())) {
                        answers.merge(s.getRequestId(), 1, Integer::sum);
                        assertTrue(s.getStatus() != SolveStatus.REJECTED, s.toString());
                    } else {
                        rejected += s.getStatus() == SolveStatus.REJECTED ? 1 : 0;
                        others++;
                    }
                }
                if (answers.size() == valid.size() && worker.inFlightCount() == 0) break;
            }
            final long deadLetters = worker.deadLetters.getQueueSize();
            assertEquals(valid.size(), answers.size(), "every valid request answered");
            answers.forEach((id, n) -> assertEquals(1, n, "answers for " + id));
            assertEquals(garbage, deadLetters + others, "every other record dead-lettered (" + deadLetters
                    + ") or answered (" + others + ", " + rejected + " of them REJECTED)");
            System.out.printf("fuzz: %d records, %d valid answered once, %d dead-lettered, %d answered (%d REJECTED)%n",
                    records, answers.size(), deadLetters, others, rejected);
        }
    }

    /** A valid request's bytes with an id of its own, for mutating. */
    private static byte[] template(final TopologyFixture worker, final int i) {
        return worker.requestSerde.serializer().serialize(Topics.REQUESTS, sudoku("fuzz-" + i).setSamples(1).build());
    }
}
