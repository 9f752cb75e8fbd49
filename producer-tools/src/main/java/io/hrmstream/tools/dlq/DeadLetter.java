package io.hrmstream.tools.dlq;

import io.hrmstream.schemas.DeadLetterHeaderNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * One record of {@code hrm.requests.dlq} as it was read: the original key and value bytes, the worker's reason and
 * source headers, and the record's own headers. What can be replayed, and what goes back, is decided here.
 *
 * @param at      where it lies in the dead-letter topic
 * @param key     the original key bytes, or null
 * @param value   the original value bytes (cut when {@link #truncated} is set), or null
 * @param headers every header it carries, the worker's {@code hrm.*} ones included
 */
public record DeadLetter(PartitionOffset at, byte[] key, byte[] value, List<Header> headers) {


    private static final int KEY_SHOWN = 64;

    public DeadLetter {
        headers = List.copyOf(headers);
    }

    public static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
        return new DeadLetter(new PartitionOffset(record.partition(), record.offset()), record.key(), record.value(),
                List.of(record.headers().toArray()));
    }

    /** The last value of a header as UTF-8 (the worker writes text, numbers in decimal), or null. */
    public String header(String name) {
        String found = null;
        for (Header header : headers) {
            if (header.key().equals(name) && header.value() != null) {
                found = new String(header.value(), StandardCharsets.UTF_8);
            }
        }
        return found;
    }

    /** The original value length when the worker cut the value to fit a Kafka record, or null. */
    public String truncated() {
        return header(DeadLetterHeaderNames.TRUNCATED);
    }

    public boolean replayable() {
        return truncated() == null;
    }

    /** Why it cannot be replayed, or null when it can. */
    public String refusal() {
        if (replayable()) {
            return null;
        }
        return at + ": not replayed: its value was cut to " + (value == null ? 0 : value.length) + " of "
                + truncated() + " bytes (hrm.truncated); replaying it would publish a different request";
    }

    /**
     * The original request: key and value bytes unchanged, its own headers kept, the worker's {@code hrm.*} ones
     * dropped (they would describe a failure the replay has not had). No partition: the key picks it, as it did.
     */
    public ProducerRecord<byte[], byte[]> replay(String topic) {
        if (!replayable()) {
            throw new IllegalStateException(refusal());
        }
        Headers kept = new RecordHeaders();
        headers.stream().filter(h -> !h.key().startsWith(DeadLetterHeaderNames.PREFIX)).forEach(kept::add);
        return new ProducerRecord<>(topic, null, key, value, kept);
    }

    /**
     * One line: {@code P@O key=K error="..." source=T-P@O [truncated=N] value=N bytes}. The key is shown as text
     * when it is UTF-8 (request ids are), else as hex, so a binary key cannot garble the terminal.
     */
    public String describe() {
        StringBuilder line = new StringBuilder();
        line.append(at).append(" key=").append(showKey(key));
        line.append(" error=").append(quoted(header(DeadLetterHeaderNames.ERROR)));
        line.append(" source=").append(orDash(header(DeadLetterHeaderNames.SOURCE_TOPIC))).append('-')
                .append(orDash(header(DeadLetterHeaderNames.SOURCE_PARTITION))).append('@').append(orDash(header(DeadLetterHeaderNames.SOURCE_OFFSET)));
        if (truncated() != null) {
            line.append(" truncated=").append(truncated());
        }
        line.append(String.format(Locale.ROOT, " value=%d bytes", value == null ? 0 : value.length));
        return line.toString();
    }

    private static String showKey(byte[] key) {
        if (key == null) {
            return "(none)";
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key))
                    .toString();
            if (text.codePoints().noneMatch(Character::isISOControl)) {
                String shown = text.length() > KEY_SHOWN ? text.substring(0, KEY_SHOWN) + "..." : text;
                return shown.isEmpty() || shown.contains(" ") ? quoted(shown) : shown;
            }
        } catch (CharacterCodingException binary) {
            // shown as hex below
        }
        byte[] shown = key.length > KEY_SHOWN ? Arrays.copyOf(key, KEY_SHOWN) : key;
        return "0x" + HexFormat.of().formatHex(shown) + (shown.length < key.length ? "..." : "");
    }

    private static String quoted(String text) {
        if (text == null) {
            return "-";
        }
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                + '"';
    }

    private static String orDash(String text) {
        return text == null ? "-" : text;
    }

    // a dead letter is its place in the topic: the default would compare the byte arrays by identity
    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter other && other.at.equals(at);
    }

    @Override
    public int hashCode() {
        return at.hashCode();
    }

    @Override
    public String toString() {
        return "DeadLetter[" + at + "]";
    }
}
