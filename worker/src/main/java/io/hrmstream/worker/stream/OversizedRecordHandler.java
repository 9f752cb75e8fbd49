package io.hrmstream.worker.stream;

import io.hrmstream.schemas.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker's {@code production.exception.handler}, the backstop behind the request limits and the dead-letter cut
 * ({@link RequestLimits}, {@link DeadLetterHeaders#fit}), which keep every record the worker forwards small enough:
 * a record the producer cannot write as it is must not stop the worker (the default handler fails the stream
 * thread, and every restart fails again on the same input record, so its partition stops for good). Under
 * at_least_once it resumes; under exactly_once_v2 a failed send has already made the transaction abortable, so the
 * task is restarted by Streams and the cut in the processor is what keeps it from failing again.
 * <ul>
 *   <li>Too large ({@link RecordTooLargeException}): the input is resumed past, and a dead letter that fits goes to
 *       {@code hrm.requests.dlq} in the same transaction: the source record's first
 *       {@link DeadLetterHeaders#KEPT_BYTES} bytes, its
 *       source coordinates, {@code hrm.error} saying what could not be written and why, and
 *       {@code hrm.truncated} with the original length. Counted in {@link #deadLettered()}.</li>
 *   <li>Retriable errors: retried, as the default handler does.</li>
 *   <li>Anything else: the stream thread fails (the default), since skipping could lose an answer.</li>
 * </ul>
 * If even the small dead letter cannot be written, Streams logs it and the record is skipped
 * ({@link #skipped()} counts the records this handler resumed past).
 */
public final class OversizedRecordHandler implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(OversizedRecordHandler.class);


    private static final int KEPT_KEY_BYTES = DeadLetterHeaders.KEPT_BYTES / 16;

    // Streams instantiates the handler by class name, so its counts are process-wide for WorkerMetrics to read.
    private static final AtomicLong DEAD_LETTERED = new AtomicLong();
    private static final AtomicLong SKIPPED = new AtomicLong();

    /** Oversized records replaced by a truncated dead letter, since the JVM started. */
    public static long deadLettered() {
        return DEAD_LETTERED.get();
    }

    /** Input records resumed past because an output record could not be written, since the JVM started. */
    public static long skipped() {
        return SKIPPED.get();
    }

    @Override
    public void configure(final Map<String, ?> configs) {
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ProducerRecord<byte[], byte[]> record,
                                final Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        if (!(exception instanceof RecordTooLargeException)) {
            return Response.fail();
        }
        final String reason = "a record for " + record.topic() + " could not be written: " + exception.getMessage();
        log.error("Skipping input {}-{}@{}: {}; a truncated copy goes to {}", context.topic(), context.partition(),
                context.offset(), reason, Topics.REQUESTS_DLQ);
        SKIPPED.incrementAndGet();
        DEAD_LETTERED.incrementAndGet();
        return Response.resume(List.of(truncatedDeadLetter(context, record, reason)));
    }

    /** The dead letter for an output record that was too large: small enough to be written whatever came in. */
    static ProducerRecord<byte[], byte[]> truncatedDeadLetter(final ErrorHandlerContext context,
                                                               final ProducerRecord<byte[], byte[]> failed,
                                                               final String reason) {
        // the source record is what a person would republish; a dead letter that failed is its own source
        final byte[] value = context.sourceRawValue() != null ? context.sourceRawValue() : failed.value();
        final byte[] key = context.sourceRawKey() != null ? context.sourceRawKey() : failed.key();
        final Headers headers = DeadLetterHeaders.describe(new RecordHeaders(), reason, context.topic(),
                context.partition(), context.offset());
        // a key is at most a 16th of the kept value: keys are ids, and an oversized one is cut without a header
        final byte[] shortKey = key == null || key.length <= KEPT_KEY_BYTES ? key : Arrays.copyOf(key, KEPT_KEY_BYTES);
        return new ProducerRecord<>(Topics.REQUESTS_DLQ, null, context.timestamp(), shortKey,
                DeadLetterHeaders.cut(value, headers), headers);
    }
}
