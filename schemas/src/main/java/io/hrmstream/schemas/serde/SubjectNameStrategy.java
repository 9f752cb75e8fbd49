package io.hrmstream.schemas.serde;

import org.apache.avro.Schema;

import java.util.Locale;

/**
 * How a serializer names the registry subject a schema is registered under: Confluent's three strategies, accepted
 * under their simple names, their Confluent class names or as constants.
 */
public enum SubjectNameStrategy {
    /** {@code <topic>-key} / {@code <topic>-value} (Confluent's default). */
    TOPIC_NAME,
    /** The record's full name, whatever the topic. */
    RECORD_NAME,
    /** {@code <topic>-<record full name>}. */
    TOPIC_RECORD_NAME;

    /** The subject for a record of {@code schema} written to {@code topic}. */
    public String subject(String topic, boolean isKey, Schema schema) {
        return switch (this) {
            case TOPIC_NAME -> topic + (isKey ? "-key" : "-value");
            case RECORD_NAME -> schema.getFullName();
            case TOPIC_RECORD_NAME -> topic + "-" + schema.getFullName();
        };
    }

    /** {@code TopicNameStrategy}, {@code io.confluent...TopicNameStrategy}, {@code TOPIC_NAME} and the like. */
    public static SubjectNameStrategy parse(String name) {
        String simple = name.substring(name.lastIndexOf('.') + 1).replace("_", "").toLowerCase(Locale.ROOT);
        return switch (simple) {
            case "topicnamestrategy", "topicname" -> TOPIC_NAME;
            case "recordnamestrategy", "recordname" -> RECORD_NAME;
            case "topicrecordnamestrategy", "topicrecordname" -> TOPIC_RECORD_NAME;
            default -> throw new IllegalArgumentException("unknown subject name strategy '" + name
                    + "': expected TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
        };
    }
}
