package io.hrmstream.worker.stream;

import io.hrmstream.schemas.DeadLetterHeaderNames;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;

/**
 * The headers a dead letter carries besides the record's own: why it could not be decoded and where it
 * came from, so that it can be inspected and republished. Values are UTF-8 strings (numbers in decimal).
 */
public final class DeadLetterHeaders {

    public static final String ERROR = DeadLetterHeaderNames.ERROR;
    public static final String SOURCE_TOPIC = DeadLetterHeaderNames.SOURCE_TOPIC;
    public static final String SOURCE_PARTITION = DeadLetterHeaderNames.SOURCE_PARTITION;
    public static final String SOURCE_OFFSET = DeadLetterHeaderNames.SOURCE_OFFSET;
    /** The length in bytes of the value before it was cut to {@link #KEPT_BYTES} (only on a cut dead letter). */
    public static final String TRUNCATED = DeadLetterHeaderNames.TRUNCATED;

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
        headers.add(ERROR, utf8(reason));
        headers.add(SOURCE_TOPIC, utf8(source.topic()));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        return headers;
    }

    /**
     * The value a dead letter can carry: as it came when key and value fit {@link #FITS_BYTES}, else its first
     * {@link #KEPT_BYTES} bytes, with {@link #TRUNCATED} added to {@code headers}.
     */
    public static byte[] fit(final byte[] key, final byte[] value, final Headers headers) {
        final int keyLength = key == null ? 0 : key.length;
        if (value == null || keyLength + value.length <= FITS_BYTES) {
            return value;
        }
        headers.add(TRUNCATED, utf8(Integer.toString(value.length)));
        return java.util.Arrays.copyOf(value, KEPT_BYTES);
    }

    private static byte[] utf8(final String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
