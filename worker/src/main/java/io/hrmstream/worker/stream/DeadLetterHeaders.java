package io.hrmstream.worker.stream;

import io.hrmstream.schemas.DeadLetterHeaderNames;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How the worker writes a dead letter: the headers it adds besides the record's own (names in the contract,
 * {@link DeadLetterHeaderNames}: why it could not be taken and where it came from, so that it can be inspected and
 * republished; UTF-8 strings, numbers in decimal) and how a value too large for a Kafka record is cut.
 */
public final class DeadLetterHeaders {

    /** How much of a value a dead letter keeps when the record as it came would not fit a Kafka record. */
    public static final int KEPT_BYTES = 64 * 1024;
    /**
     * Key plus value above which a dead letter is cut: the producer sends at most 1 MiB (max.request.size) and the
     * headers and record overhead need room beside the payload.
     */
    public static final int FITS_BYTES = 1_000_000;

    private DeadLetterHeaders() {
    }

    /** Adds the reason and the source coordinates to {@code headers} (the record's original headers are kept). */
    public static Headers describe(final Headers headers, final String reason, final RecordMetadata source) {
        return describe(headers, reason, source.topic(), source.partition(), source.offset());
    }

    /** As {@link #describe(Headers, String, RecordMetadata)}; the reason is cut to 1,024 characters. */
    public static Headers describe(final Headers headers, final String reason, final String topic, final int partition,
                                  final long offset) {
        headers.add(DeadLetterHeaderNames.ERROR, utf8(RequestLimits.cut(reason, 1024)));
        headers.add(DeadLetterHeaderNames.SOURCE_TOPIC, utf8(topic));
        headers.add(DeadLetterHeaderNames.SOURCE_PARTITION, utf8(Integer.toString(partition)));
        headers.add(DeadLetterHeaderNames.SOURCE_OFFSET, utf8(Long.toString(offset)));
        return headers;
    }

    /**
     * The value a dead letter can carry: as it came when key and value fit {@link #FITS_BYTES}, else {@link #cut}.
     */
    public static byte[] fit(final byte[] key, final byte[] value, final Headers headers) {
        final int keyLength = key == null ? 0 : key.length;
        return value == null || keyLength + value.length <= FITS_BYTES ? value : cut(value, headers);
    }

    /**
     * {@code value}'s first {@link #KEPT_BYTES} bytes, with {@link DeadLetterHeaderNames#TRUNCATED} (the original
     * length) added to {@code headers}; a shorter value as it is.
     */
    public static byte[] cut(final byte[] value, final Headers headers) {
        if (value == null || value.length <= KEPT_BYTES) {
            return value;
        }
        headers.add(DeadLetterHeaderNames.TRUNCATED, utf8(Integer.toString(value.length)));
        return Arrays.copyOf(value, KEPT_BYTES);
    }

    private static byte[] utf8(final String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
