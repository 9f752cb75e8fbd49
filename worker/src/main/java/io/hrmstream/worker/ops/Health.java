package io.hrmstream.worker.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.streams.KafkaStreams;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Liveness and readiness of a worker.
 *
 * <ul>
 * <li>live: the Streams client is not in ERROR or PENDING_ERROR (a failed client never recovers by itself;
 *     the process is restarted).</li>
 * <li>ready: Streams is RUNNING (its tasks are assigned and restored), the model is loaded and no stream thread is
 *     waiting for an unreachable schema registry. A worker started without a model is ready too: it answers every
 *     request, with REJECTED "no model configured", and that answer is the configured behaviour, not a fault.
 *     During a rebalance it is briefly not ready.</li>
 * </ul>
 *
 * @param streamsState       the Streams client's state now (CREATED before the worker starts)
 * @param model              the loaded model's name, or "none" when no model is configured
 * @param waitingForRegistry true while a stream thread waits out a schema registry outage
 */
public record Health(Supplier<KafkaStreams.State> streamsState, String model, BooleanSupplier waitingForRegistry) {

    /** Health of a worker whose registry waits are not reported. */
    public Health(final Supplier<KafkaStreams.State> streamsState, final String model) {
        this(streamsState, model, () -> false);
    }

    public Check live() {
        final KafkaStreams.State state = streamsState.get();
        return new Check(state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR, state, model);
    }

    public Check ready() {
        final KafkaStreams.State state = streamsState.get();
        return new Check(state == KafkaStreams.State.RUNNING && !waitingForRegistry.getAsBoolean(), state, model);
    }

    /** One probe's answer. */
    public record Check(boolean up, KafkaStreams.State streams, String model) {

        private static final ObjectMapper JSON = new ObjectMapper();

        /** e.g. {@code {"status":"UP","streams":"RUNNING","model":"none"}} */
        public String json() {
            final Map<String, String> body = new LinkedHashMap<>();
            body.put("status", up ? "UP" : "DOWN");
            body.put("streams", streams.name());
            body.put("model", model);
            try {
                return JSON.writeValueAsString(body);
            } catch (final JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
