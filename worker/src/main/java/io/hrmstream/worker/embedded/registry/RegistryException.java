package io.hrmstream.worker.embedded.registry;

/**
 * An error the registry answers with Confluent's body {@code {"error_code": ..., "message": ...}} and HTTP status.
 * The factories carry Confluent Schema Registry's codes and wording, which clients match on.
 */
public final class RegistryException extends RuntimeException {

    private final int httpStatus;
    private final int errorCode;

    public RegistryException(int httpStatus, int errorCode, String message) {
        this(httpStatus, errorCode, message, null);
    }

    public RegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    public static RegistryException subjectNotFound(String subject) {
        return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
    }

    public static RegistryException versionNotFound(int version) {
        return new RegistryException(404, 40402, "Version " + version + " not found.");
    }

    public static RegistryException schemaNotFound(String which) {
        return new RegistryException(404, 40403, which + " not found");
    }

    public static RegistryException subjectLevelConfigNotFound(String subject) {
        return new RegistryException(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    public static RegistryException incompatible(String subject, Object details) {
        return new RegistryException(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                + subject + "\", details: " + details);
    }

    public static RegistryException invalidSchema(String reason) {
        return new RegistryException(422, 42201, "Invalid schema: " + reason);
    }

    public static RegistryException invalidVersion(String version) {
        return new RegistryException(422, 42202, "The specified version '" + version + "' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    public static RegistryException invalidCompatibilityLevel() {
        return new RegistryException(422, 42203, "Invalid compatibility level. Valid values are none, backward, "
                + "forward, full, backward_transitive, forward_transitive, and full_transitive");
    }

    public static RegistryException subjectLevelModeNotConfigured(String subject) {
        return new RegistryException(404, 40409, "Subject '" + subject + "' does not have subject-level mode configured");
    }

    public static RegistryException invalidMode() {
        return new RegistryException(422, 42204, "Invalid mode. Valid values are READWRITE, READONLY, IMPORT and FORWARD.");
    }

    /** Confluent's answer to a mode change when {@code mode.mutability} is off, as it always is here. */
    public static RegistryException modeChangesNotAllowed(String mode) {
        return new RegistryException(422, 42205, "Mode changes are not allowed: this development registry is always "
                + RegistryApi.READWRITE + ", it cannot be set to " + mode);
    }

    public static RegistryException storeError(String what, Throwable cause) {
        return new RegistryException(500, 50001, "Error in the backend data store while " + what + ": " + cause.getMessage(), cause);
    }
}
