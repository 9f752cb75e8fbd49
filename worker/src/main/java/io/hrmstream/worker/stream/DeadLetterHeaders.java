package io.hrmstream.worker.stream;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;

/**
 * The headers a dead letter carries besides the record's own: why it could not be decoded and where it
 * came from, so that it can be inspected and republished. Values are UTF-8 strings (numbers in decimal).
 */
public final class DeadLetterHeaders {

    public static final String ERROR = "hrm.error";
    public static final String SOURCE_TOPIC = "hrm.source.topic";
    public static final String SOURCE_PARTITION = "hrm.source.partition";
    public static final String SOURCE_OFFSET = "hrm.source.offset";

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

    private static byte[] utf8(final String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
