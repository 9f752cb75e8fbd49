package io.hrmstream.tools.dlq;

import java.util.Comparator;

/** A record's place in a topic, written {@code P@O} as {@code dlq} lists it and {@code --offsets} takes it. */
public record PartitionOffset(int partition, long offset) implements Comparable<PartitionOffset> {

    private static final Comparator<PartitionOffset> ORDER =
            Comparator.comparingInt(PartitionOffset::partition).thenComparingLong(PartitionOffset::offset);

    public PartitionOffset {
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("partition and offset cannot be negative: " + partition + "@" + offset);
        }
    }

    /** @throws IllegalArgumentException naming the text when it is not {@code P@O} */
    public static PartitionOffset parse(String text) {
        String spec = text.trim();
        int at = spec.indexOf('@');
        try {
            if (at <= 0 || at == spec.length() - 1) {
                throw new NumberFormatException();
            }
            return new PartitionOffset(Integer.parseInt(spec.substring(0, at)),
                    Long.parseLong(spec.substring(at + 1)));
        } catch (IllegalArgumentException e) {   // not a number, or a negative one
            throw new IllegalArgumentException("'" + text + "' is not PARTITION@OFFSET, e.g. 0@42");
        }
    }

    @Override
    public int compareTo(PartitionOffset other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return partition + "@" + offset;
    }
}
