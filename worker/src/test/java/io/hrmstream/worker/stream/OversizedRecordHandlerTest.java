package io.hrmstream.worker.stream;

import io.hrmstream.schemas.DeadLetterHeaderNames;
import io.hrmstream.schemas.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A record too large to write becomes a dead letter that fits, and the worker goes on. */
class OversizedRecordHandlerTest {

    private final OversizedRecordHandler handler = new OversizedRecordHandler();
    private final byte[] megabyte = garbage(1_048_600);

    @Test
    void aDeadLetterTooLargeToWriteIsReplacedByItsTruncatedCopyWithHeadersSayingSo() {
        final long before = OversizedRecordHandler.deadLettered();
        final ProducerRecord<byte[], byte[]> failed = new ProducerRecord<>(Topics.REQUESTS_DLQ, null, "k".getBytes(),
                megabyte, new RecordHeaders().add(DeadLetterHeaderNames.ERROR, "not Avro".getBytes()));

        final ProductionExceptionHandler.Response response = handler.handleError(context(megabyte), failed,
                new RecordTooLargeException("The message is 1048694 bytes"));

        assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
        assertEquals(1, response.deadLetterQueueRecords().size());
        final ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertEquals(Topics.REQUESTS_DLQ, letter.topic());
        assertEquals(DeadLetterHeaders.KEPT_BYTES, letter.value().length);
        assertArrayEquals(Arrays.copyOf(megabyte, DeadLetterHeaders.KEPT_BYTES), letter.value(),
                "the first bytes of the source record, as they came");
        assertEquals("1048600", header(letter.headers(), DeadLetterHeaderNames.TRUNCATED));
        assertTrue(header(letter.headers(), DeadLetterHeaderNames.ERROR).contains("could not be written"));
        assertEquals(Topics.REQUESTS, header(letter.headers(), DeadLetterHeaderNames.SOURCE_TOPIC));
        assertEquals("42", header(letter.headers(), DeadLetterHeaderNames.SOURCE_OFFSET));
        assertEquals(before + 1, OversizedRecordHandler.deadLettered());
    }

    @Test
    void aSolutionTooLargeToWriteSendsItsRequestToTheDeadLettersInstead() {
        final byte[] request = "a small request".getBytes(StandardCharsets.UTF_8);
        final ProducerRecord<byte[], byte[]> solution = new ProducerRecord<>(Topics.SOLUTIONS, "k".getBytes(),
                megabyte);
        final ProductionExceptionHandler.Response response = handler.handleError(context(request), solution,
                new RecordTooLargeException("too large"));
        assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
        assertArrayEquals(request, response.deadLetterQueueRecords().get(0).value());
        assertTrue(header(response.deadLetterQueueRecords().get(0).headers(), DeadLetterHeaderNames.ERROR)
                .startsWith("a record for hrm.solutions could not be written"));
    }

    @Test
    void retriableErrorsAreRetriedAndOthersStillFail() {
        final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.SOLUTIONS, new byte[1]);
        assertEquals(ProductionExceptionHandler.Result.RETRY,
                handler.handleError(context(new byte[1]), record, new NotEnoughReplicasException("isr")).result());
        assertEquals(ProductionExceptionHandler.Result.FAIL, handler.handleError(context(new byte[1]), record,
                new TopicAuthorizationException(Set.of(Topics.SOLUTIONS))).result());
    }

    private static String header(final Headers headers, final String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static byte[] garbage(final int length) {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = (byte) (i * 31 + 7);
        return bytes;
    }

    private static ErrorHandlerContext context(final byte[] sourceValue) {
        return new ErrorHandlerContext() {
            public String topic() { return Topics.REQUESTS; }
            public int partition() { return 3; }
            public long offset() { return 42; }
            public Headers headers() { return new RecordHeaders(); }
            public String processorNodeId() { return SolveTopology.PROCESSOR; }
            public TaskId taskId() { return new TaskId(0, 3); }
            public long timestamp() { return 1_000L; }
            public byte[] sourceRawKey() { return "k".getBytes(); }
            public byte[] sourceRawValue() { return sourceValue; }
        };
    }
}
