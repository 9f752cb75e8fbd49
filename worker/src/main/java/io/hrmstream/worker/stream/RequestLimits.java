package io.hrmstream.worker.stream;

import io.hrmstream.schemas.PuzzleRequest;

import java.util.Map;
import java.util.Optional;

/**
 * What one request may carry. Past a limit the request is REJECTED with the reason, and nothing of the oversized
 * field is echoed at full length: a REJECTED solution, the in-flight store's changelog record (key id, value the
 * request) and a dead letter must each fit a Kafka record (1 MB by default) whatever a client sends.
 * Documented in the README ("Limits").
 */
public final class RequestLimits {

    /** Characters of a request id (it is also the record key and the in-flight store's key). */
    public static final int MAX_ID_CHARS = 256;
    /** Characters of a task name. */
    public static final int MAX_TASK_CHARS = 64;
    /** Entries in {@code attributes}. */
    public static final int MAX_ATTRIBUTES = 64;
    /** Characters of one attribute key. */
    public static final int MAX_ATTRIBUTE_KEY_CHARS = 256;
    /** Characters of one attribute value. */
    public static final int MAX_ATTRIBUTE_VALUE_CHARS = 4096;
    /** How much of an oversized text a message quotes. */
    static final int QUOTED_CHARS = 64;

    private RequestLimits() {
    }

    /** The first limit the request breaks, in words, or empty. */
    static Optional<String> broken(final PuzzleRequest request) {
        if (request.getId().length() > MAX_ID_CHARS) {
            return Optional.of("id is " + request.getId().length() + " characters, more than " + MAX_ID_CHARS);
        }
        if (request.getTask().length() > MAX_TASK_CHARS) {
            return Optional.of("task is " + request.getTask().length() + " characters, more than " + MAX_TASK_CHARS);
        }
        final Map<String, String> attributes = request.getAttributes();
        if (attributes.size() > MAX_ATTRIBUTES) {
            return Optional.of("attributes has " + attributes.size() + " entries, more than " + MAX_ATTRIBUTES);
        }
        for (final Map.Entry<String, String> e : attributes.entrySet()) {
            if (e.getKey().length() > MAX_ATTRIBUTE_KEY_CHARS) {
                return Optional.of("attribute key '" + quote(e.getKey()) + "' is " + e.getKey().length()
                        + " characters, more than " + MAX_ATTRIBUTE_KEY_CHARS);
            }
            if (e.getValue().length() > MAX_ATTRIBUTE_VALUE_CHARS) {
                return Optional.of("attribute '" + quote(e.getKey()) + "' is " + e.getValue().length()
                        + " characters, more than " + MAX_ATTRIBUTE_VALUE_CHARS);
            }
        }
        return Optional.empty();
    }

    /** {@code text} cut to {@link #QUOTED_CHARS} for a message, with an ellipsis when cut. */
    static String quote(final String text) {
        return cut(text, QUOTED_CHARS);
    }

    /** {@code text} cut to {@code max} characters, the last one an ellipsis when cut. */
    static String cut(final String text, final int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** The request's attributes if they are within the limits, else none: never echo what broke a limit. */
    static Map<String, String> echoable(final PuzzleRequest request) {
        return broken(request).isPresent() ? Map.of() : request.getAttributes();
    }
}
