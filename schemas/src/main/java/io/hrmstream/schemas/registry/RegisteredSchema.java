package io.hrmstream.schemas.registry;

import org.apache.avro.Schema;

/**
 * One version of a schema under a subject, as the registry reports it.
 *
 * @param subject the subject, e.g. {@code hrm.requests-value}
 * @param id      the globally unique schema id written into the wire format
 * @param version the version of the schema within the subject
 * @param schema  the schema itself
 */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {
}
