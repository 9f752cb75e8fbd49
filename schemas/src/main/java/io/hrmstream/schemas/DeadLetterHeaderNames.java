package io.hrmstream.schemas;

/**
 * The headers a record in {@link Topics#REQUESTS_DLQ} carries besides its own (part of the contract: the worker
 * writes them, {@code hrm-tools dlq} and users read them). Values are UTF-8 strings, numbers in decimal.
 */
public final class DeadLetterHeaderNames {

    /** Why the record could not be taken. */
    public static final String ERROR = "hrm.error";
    /** Where it came from: topic, partition, offset. */
    public static final String SOURCE_TOPIC = "hrm.source.topic";
    public static final String SOURCE_PARTITION = "hrm.source.partition";
    public static final String SOURCE_OFFSET = "hrm.source.offset";
    /** Only on a dead letter whose value was cut to fit a record: the original length in bytes. */
    public static final String TRUNCATED = "hrm.truncated";
    /** Every header the worker adds starts with this; a replay drops them. */
    public static final String PREFIX = "hrm.";

    private DeadLetterHeaderNames() {
    }
}
