package io.hrmstream.schemas.registry;

/**
 * A Schema Registry request that failed: either the registry answered with an error (HTTP status and
 * Confluent's {@code error_code} and {@code message} from the JSON error body), or no registry in the URL
 * list could be reached ({@link #status()} is {@link #NO_RESPONSE}).
 */
public final class SchemaRegistryException extends RuntimeException {

    /** {@link #status()} when no registry answered (connection refused, timeout, I/O error). */
    public static final int NO_RESPONSE = -1;

    /** Confluent's error codes that callers act on. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;

    private final int status;
    private final int errorCode;
    private final String registryMessage;

    public SchemaRegistryException(int status, int errorCode, String registryMessage, String context, Throwable cause) {
        super(context + ": " + describe(status, errorCode, registryMessage), cause);
        this.status = status;
        this.errorCode = errorCode;
        this.registryMessage = registryMessage;
    }

    private static String describe(int status, int errorCode, String registryMessage) {
        if (status == NO_RESPONSE) return registryMessage;
        return registryMessage + " (HTTP " + status + ", error_code " + errorCode + ")";
    }

    /** The HTTP status, or {@link #NO_RESPONSE}. */
    public int status() {
        return status;
    }

    /** Confluent's {@code error_code} from the error body; the HTTP status when the body had none. */
    public int errorCode() {
        return errorCode;
    }

    /** Confluent's {@code message} from the error body (or the raw body, or the I/O failure). */
    public String registryMessage() {
        return registryMessage;
    }

    /**
     * True when no registry gave an answer (connection refused or timed out, or only 502/503/504 after trying every
     * URL): an outage to wait out, not a verdict on the record being decoded.
     */
    public boolean isUnavailable() {
        return (status == NO_RESPONSE && !(getCause() instanceof InterruptedException)) || status >= 500;
    }

    /** True for "this schema id / subject / version does not exist" answers (HTTP 404). */
    public boolean isNotFound() {
        return status == 404;
    }
}
