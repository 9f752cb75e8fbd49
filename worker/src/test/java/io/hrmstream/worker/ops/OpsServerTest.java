package io.hrmstream.worker.ops;

import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import io.hrmstream.worker.engine.ContinuousBatchingEngine;
import io.hrmstream.worker.engine.EngineConfig;
import io.hrmstream.worker.engine.EngineRoster;
import io.hrmstream.worker.engine.Halting;
import io.hrmstream.worker.engine.ModelDescriptor;
import io.hrmstream.worker.engine.SlotBatch;
import io.hrmstream.worker.engine.StepStats;
import io.hrmstream.worker.model.HaltRule;
import io.micrometer.core.instrument.Gauge;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpsServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void metricsCountSolutionsByStatusAndRecordStepsHaltingLatenciesAndEngineSteps() throws Exception {
        final WorkerMetrics metrics = new WorkerMetrics("w1");
        metrics.onRequest();
        metrics.onRequest();
        metrics.onRequest();
        metrics.onDeadLetter();
        metrics.onSolution(solution(SolveStatus.SOLVED, 5, HaltReason.Q_HALT, 120L));
        metrics.onSolution(solution(SolveStatus.REJECTED, 0, HaltReason.NONE, null));
        metrics.stepListener().onStep(new StepStats(24, 3, 0, 7, 2_000_000, 0, 0, 2_500_000));

        try (OpsServer server = OpsServer.start("127.0.0.1", 0, metrics,
                new Health(() -> KafkaStreams.State.RUNNING, "none"))) {
            final HttpResponse<String> response = get(server.port(), "/metrics");
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
            final String text = response.body();
            for (final Map.Entry<String, String> expected : Map.of(
                    "hrm_requests_received_total{worker=\"w1\"}", "3.0",
                    "hrm_requests_dead_lettered_total{worker=\"w1\"}", "1.0",
                    "hrm_solutions_total{status=\"SOLVED\",worker=\"w1\"}", "1.0",
                    "hrm_solutions_total{status=\"REJECTED\",worker=\"w1\"}", "1.0",
                    "hrm_solutions_halted_total{halted_by=\"Q_HALT\",worker=\"w1\"}", "1.0",
                    "hrm_engine_queue_depth{worker=\"w1\"}", "7.0",
                    "hrm_engine_occupied_slots_sum{worker=\"w1\"}", "24.0",
                    "hrm_solution_latency_seconds_count{worker=\"w1\"}", "1").entrySet()) {
                assertTrue(text.contains(expected.getKey() + " " + expected.getValue()),
                        expected.getKey() + " " + expected.getValue() + " missing from:\n" + text);
            }
            assertTrue(text.contains("hrm_engine_step_seconds_count{worker=\"w1\"} 1"), text);
            assertTrue(text.contains("hrm_solution_queued_seconds_count{worker=\"w1\"} 1"), "REJECTED excluded");
            assertTrue(text.contains("jvm_threads_live_threads"), text);
        } finally {
            metrics.close();
        }
    }

    @Test
    void theEngineFixesOneActStepBucketPerStepUpToItsCeilingAndReportsItsSlotsAndDevice() throws Exception {
        final WorkerMetrics metrics = new WorkerMetrics("w1");
        final int ceiling = 24;
        try (ContinuousBatchingEngine engine = ContinuousBatchingEngine.start(new IdleSlotBatch(32),
                EngineConfig.defaults().withHalting(Halting.ACT, ceiling))) {
            metrics.bindEngines(EngineRoster.of(engine));
            metrics.onSolution(solution(SolveStatus.SOLVED, 5, HaltReason.Q_HALT, 120L));
            final String text = metrics.scrape();
            for (int step = 1; step <= ceiling; step++) {
                final String bucket = "hrm_act_steps_bucket{task=\"sudoku\",worker=\"w1\",le=\"" + step + ".0\"} "
                        + (step < 5 ? 0 : 1);
                assertTrue(text.contains(bucket), bucket + " missing from:\n" + text);
            }
            assertTrue(text.contains("hrm_act_steps_bucket{task=\"sudoku\",worker=\"w1\",le=\"+Inf\"} 1"), text);
            assertFalse(text.contains("le=\"" + (ceiling + 1) + ".0\""), "no bucket past the ceiling");
            assertTrue(text.contains("hrm_engine_slots{task=\"sudoku\",worker=\"w1\"} 32.0"), text);
            assertTrue(text.contains("device=\"gpu0\""), text);
        } finally {
            metrics.close();
        }
    }

    @Test
    void consumerLagIsReportedOncePerPartitionNotAgainUnderTheDotFreeTopicName() {
        final WorkerMetrics metrics = new WorkerMetrics("w1");
        try {
            // as Kafka's consumer reports it: the real topic name, and the same partition again with '_' for '.'
            for (final String topic : new String[] {"hrm.requests", "hrm_requests"}) {
                Gauge.builder("kafka.consumer.fetch.manager.records.lag", () -> 7)
                        .tags("topic", topic, "partition", "0").register(metrics.registry());
            }
            Gauge.builder("kafka.consumer.fetch.manager.records.lag.max", () -> 7).register(metrics.registry());
            final String text = metrics.scrape();
            assertTrue(text.contains("kafka_consumer_fetch_manager_records_lag{partition=\"0\",topic=\"hrm.requests\""),
                    text);
            assertFalse(text.contains("topic=\"hrm_requests\""), text);
            assertTrue(text.contains("kafka_consumer_fetch_manager_records_lag_max{worker=\"w1\"} 7.0"),
                    "client-level fetch metrics (no topic) are kept: " + text);
        } finally {
            metrics.close();
        }
    }

    @Test
    void deviceLabelsHaveNoBrackets() {
        assertEquals("cpu", WorkerMetrics.deviceLabel("cpu()"));
        assertEquals("gpu0", WorkerMetrics.deviceLabel("gpu(0)"));
    }

    @Test
    void readyOnlyWhileStreamsRunsAndLiveUntilStreamsFails() throws Exception {
        final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
        final WorkerMetrics metrics = new WorkerMetrics("w1");
        try (OpsServer server = OpsServer.start("127.0.0.1", 0, metrics, new Health(state::get, "sudoku-hrm"))) {
            assertEquals(503, get(server.port(), "/health/ready").statusCode());
            assertEquals(200, get(server.port(), "/health/live").statusCode());

            state.set(KafkaStreams.State.RUNNING);
            final HttpResponse<String> ready = get(server.port(), "/health/ready");
            assertEquals(200, ready.statusCode());
            assertEquals("{\"status\":\"UP\",\"streams\":\"RUNNING\",\"model\":\"sudoku-hrm\"}", ready.body());

            state.set(KafkaStreams.State.REBALANCING);
            assertEquals(503, get(server.port(), "/health/ready").statusCode());
            assertEquals(200, get(server.port(), "/health/live").statusCode());

            state.set(KafkaStreams.State.ERROR);
            final HttpResponse<String> live = get(server.port(), "/health/live");
            assertEquals(503, live.statusCode());
            assertEquals("{\"status\":\"DOWN\",\"streams\":\"ERROR\",\"model\":\"sudoku-hrm\"}", live.body());
        } finally {
            metrics.close();
        }
    }

    /** A resident batch that is never stepped: the meters read only its shape. */
    private record IdleSlotBatch(int capacity) implements SlotBatch {

        @Override
        public ModelDescriptor descriptor() {
            return new ModelDescriptor("m", "sudoku", "hrm_act_v1", 81, 11, 1, 16, HaltRule.Q_HALT_ABOVE_Q_CONTINUE,
                    "gpu(0)");
        }

        @Override
        public void load(final int slot, final int[] tokens, final int puzzleIdentifier) {
            throw new UnsupportedOperationException("never stepped");
        }

        @Override
        public StepOutput step(final int[] slots) {
            throw new UnsupportedOperationException("never stepped");
        }

        @Override
        public void close() {
        }
    }

    private HttpResponse<String> get(final int port, final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static PuzzleSolution solution(final SolveStatus status, final int steps, final HaltReason haltedBy,
                                           final Long latencyMs) {
        return PuzzleSolution.newBuilder().setRequestId("r-" + status).setTask("sudoku").setStatus(status)
                .setSteps(steps).setMaxSteps(16).setHaltedBy(haltedBy).setHaltConfidence(0.9f).setModel("m")
                .setWorkerId("w1").setBatchSize(4).setQueuedMs(3).setInferenceMs(40).setLatencyMs(latencyMs)
                .setAttributes(Map.of()).build();
    }
}
