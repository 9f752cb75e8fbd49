package io.hrmstream.tools.dlq;

import io.hrmstream.schemas.DeadLetterHeaderNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLetterTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A dead letter as the worker writes one: the record's own headers, then reason and source. */
    static DeadLetter letter(int partition, long offset, byte[] key, byte[] value, String truncated) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", utf8("abc"));
        headers.add(DeadLetterHeaderNames.ERROR, utf8("unknown magic byte 0x6e"));
        headers.add(DeadLetterHeaderNames.SOURCE_TOPIC, utf8("hrm.requests"));
        headers.add(DeadLetterHeaderNames.SOURCE_PARTITION, utf8("1"));
        headers.add(DeadLetterHeaderNames.SOURCE_OFFSET, utf8("40"));
        if (truncated != null) {
            headers.add(DeadLetterHeaderNames.TRUNCATED, utf8(truncated));
        }
        return DeadLetter.of(new ConsumerRecord<>("hrm.requests.dlq", partition, offset, 0L,
                TimestampType.CREATE_TIME, key == null ? -1 : key.length, value == null ? -1 : value.length, key,
                value, headers, Optional.empty()));
    }

    @Test
    void oneLineSaysWhereWhyFromWhereAndHowLarge() {
        assertEquals("0@7 key=garbage-1 error=\"unknown magic byte 0x6e\" source=hrm.requests-1@40 value=8 bytes",
                letter(0, 7, utf8("garbage-1"), utf8("not avro"), null).describe());
        assertEquals("2@3 key=(none) error=\"unknown magic byte 0x6e\" source=hrm.requests-1@40 truncated=2000000 "
                + "value=65536 bytes", letter(2, 3, null, new byte[65536], "2000000").describe());
    }

    @Test
    void aKeyThatIsNotTextIsShownAsHex() {
        assertTrue(letter(0, 1, new byte[] {(byte) 0xff, 0x00, 0x41}, utf8("x"), null).describe()
                .startsWith("0@1 key=0xff0041 "));
        assertTrue(letter(0, 1, utf8("a b"), utf8("x"), null).describe().startsWith("0@1 key=\"a b\" "));
    }

    @Test
    void aReplayIsTheOriginalKeyValueAndHeadersWithoutTheWorkers() {
        byte[] key = utf8("garbage-1");
        byte[] value = {0, 1, 2, (byte) 0xff};
        ProducerRecord<byte[], byte[]> replay = letter(0, 7, key, value, null).replay("hrm.requests");
        assertEquals("hrm.requests", replay.topic());
        assertNull(replay.partition(), "the key picks the partition, as it did the first time");
        assertArrayEquals(key, replay.key());
        assertArrayEquals(value, replay.value());
        List<String> names = new ArrayList<>();
        for (Header header : replay.headers()) {
            names.add(header.key());
        }
        assertEquals(List.of("trace-id"), names);
    }

    @Test
    void aCutValueIsRefusedForReplayWithTheReason() {
        DeadLetter cut = letter(1, 9, utf8("big"), new byte[65536], "2000000");
        assertFalse(cut.replayable());
        assertEquals("1@9: not replayed: its value was cut to 65536 of 2000000 bytes (hrm.truncated); replaying it "
                + "would publish a different request", cut.refusal());
        assertThrows(IllegalStateException.class, () -> cut.replay("hrm.requests"));
    }

    @Test
    void positionsAreWrittenPartitionAtOffset() {
        assertEquals(new PartitionOffset(3, 42), PartitionOffset.parse(" 3@42 "));
        assertEquals("3@42", new PartitionOffset(3, 42).toString());
        for (String bad : List.of("3", "@4", "3@", "a@1", "1@-2", "-1@2", "1@2@3")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PartitionOffset.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "' is not PARTITION@OFFSET"), e.getMessage());
        }
    }
}
