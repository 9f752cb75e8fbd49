package io.hrmstream.worker.stream;

import io.hrmstream.schemas.DeadLetterHeaderNames;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.engine.EngineRoster;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import static io.hrmstream.worker.stream.TopologyFixture.SUDOKU_MODEL;
import static io.hrmstream.worker.stream.TopologyFixture.sudoku;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Undecodable records go to hrm.requests.dlq byte for byte, with the reason and their origin; the worker goes on. */
class SolveTopologyDeadLetterTest {

    @RegisterExtension
    static final TestRegistry registry = new TestRegistry();

    @TempDir
    Path stateDir;
    private TopologyFixture worker;

    @BeforeEach
    void start() {
        worker = new TopologyFixture(registry, stateDir, EngineRoster.of(ScriptedEngine.holding(SUDOKU_MODEL)));
    }

    @AfterEach
    void stop() {
        worker.close();
    }

    @Test
    void bytesThatAreNotTheWireFormatAreDeadLetteredAsTheyCame() {
        final byte[] key = {(byte) 0xff, (byte) 0xfe, 'k'}; // not even UTF-8
        final byte[] garbage = "hello".getBytes(StandardCharsets.UTF_8);
        final Headers original = new RecordHeaders().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        worker.requests.pipeInput(new TestRecord<>(key, garbage, original));

        final TestRecord<byte[], byte[]> letter = worker.deadLetters.readRecord();
        assertArrayEquals(key, letter.key());
        assertArrayEquals(garbage, letter.value());
        assertEquals("t-1", header(letter, "trace"), "the record's own headers are kept");
        assertTrue(header(letter, DeadLetterHeaderNames.ERROR).contains("magic byte"), header(letter, DeadLetterHeaderNames.ERROR));
        assertEquals(Topics.REQUESTS, header(letter, DeadLetterHeaderNames.SOURCE_TOPIC));
        assertEquals("0", header(letter, DeadLetterHeaderNames.SOURCE_PARTITION));
        assertEquals("0", header(letter, DeadLetterHeaderNames.SOURCE_OFFSET));
        assertTrue(worker.solutions.isEmpty());
    }

    @Test
    void aWrongMagicByteIsDeadLetteredWithItsOffset() {
        worker.publish(sudoku("ok-0").build());
        final byte[] value = worker.requestSerde.serializer().serialize(Topics.REQUESTS, sudoku("bad").build());
        value[0] = 1;
        worker.requests.pipeInput("bad".getBytes(StandardCharsets.UTF_8), value);

        final TestRecord<byte[], byte[]> letter = worker.deadLetters.readRecord();
        assertArrayEquals(value, letter.value());
        assertArrayEquals("bad".getBytes(StandardCharsets.UTF_8), letter.key());
        assertTrue(header(letter, DeadLetterHeaderNames.ERROR).contains("magic byte 0x01"),
                header(letter, DeadLetterHeaderNames.ERROR));
        assertEquals("1", header(letter, DeadLetterHeaderNames.SOURCE_OFFSET));
    }

    @Test
    void aSchemaIdTheRegistryDoesNotKnowIsDeadLettered() {
        final byte[] value = worker.requestSerde.serializer().serialize(Topics.REQUESTS, sudoku("r").build());
        ByteBuffer.wrap(value).putInt(1, 4242);
        worker.requests.pipeInput("r".getBytes(StandardCharsets.UTF_8), value);

        final TestRecord<byte[], byte[]> letter = worker.deadLetters.readRecord();
        assertArrayEquals(value, letter.value());
        assertTrue(header(letter, DeadLetterHeaderNames.ERROR).contains("4242"), header(letter, DeadLetterHeaderNames.ERROR));
    }

    @Test
    void aRecordWithoutValueIsDeadLettered() {
        worker.requests.pipeInput("k".getBytes(StandardCharsets.UTF_8), (byte[]) null);
        final TestRecord<byte[], byte[]> letter = worker.deadLetters.readRecord();
        assertEquals(null, letter.value());
        assertNotNull(header(letter, DeadLetterHeaderNames.ERROR));
    }

    @Test
    void theWorkerKeepsGoingAfterADeadLetter() {
        worker.requests.pipeInput("x".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0});
        worker.publish(sudoku("r1").setPuzzleId(99).build());
        assertEquals(1, worker.deadLetters.getQueueSize());
        assertEquals(SolveStatus.REJECTED, worker.solutions.readValue().getStatus());
    }

    private static String header(final TestRecord<byte[], byte[]> record, final String name) {
        final Header[] found = Arrays.stream(record.headers().toArray()).filter(h -> h.key().equals(name))
                .toArray(Header[]::new);
        assertEquals(1, found.length, "exactly one header " + name);
        return new String(found[0].value(), StandardCharsets.UTF_8);
    }
}
