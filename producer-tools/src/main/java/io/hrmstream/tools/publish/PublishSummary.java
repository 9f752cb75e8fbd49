package io.hrmstream.tools.publish;

/**
 * How a publish run ended.
 *
 * @param sent          requests handed to the producer
 * @param acknowledged  requests the broker acknowledged
 * @param failed        requests that did not reach the broker
 * @param firstFailure  why the first one failed, or null
 * @param elapsedMs     from the first send to the last acknowledgement
 */
public record PublishSummary(long sent, long acknowledged, long failed, Exception firstFailure, long elapsedMs) {

    public boolean succeeded() {
        return failed == 0 && firstFailure == null && acknowledged == sent;
    }
}
