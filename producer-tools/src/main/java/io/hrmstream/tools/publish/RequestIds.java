package io.hrmstream.tools.publish;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Request ids: a random UUID each, or {@code prefix-0, prefix-1, ...} when a prefix is given. Thread-safe. */
public final class RequestIds {

    private final String prefix;
    private final AtomicLong next = new AtomicLong();

    private RequestIds(String prefix) {
        this.prefix = prefix;
    }

    public static RequestIds randomUuids() {
        return new RequestIds(null);
    }

    public static RequestIds numbered(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("an id prefix cannot be blank");
        }
        return new RequestIds(prefix);
    }

    public String next() {
        return prefix == null ? UUID.randomUUID().toString() : prefix + "-" + next.getAndIncrement();
    }
}
