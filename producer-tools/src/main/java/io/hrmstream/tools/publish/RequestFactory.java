package io.hrmstream.tools.publish;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.tools.answers.PublishedRequest;
import io.hrmstream.tools.input.Puzzle;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Turns puzzles into {@link PuzzleRequest}s: a fresh id, the task and grid, the puzzle's embedding row, the optional
 * step cap and views, {@code submittedAtMs} = now, and the caller's attributes with the puzzle's own over them
 * (ARC: the task id, which the worker votes by). The known answer is left out of the request
 * and kept in {@link OutgoingRequest#kept()}.
 */
public final class RequestFactory {

    private final RequestIds ids;
    private final Integer maxSteps;
    private final Integer samples;
    private final Map<String, String> attributes;
    private final LongSupplier clockMs;

    /**
     * @param maxSteps   cap on ACT steps for every request, or null for the model's own
     * @param samples    the most views the worker may race per request (guess scaling), or null for its default
     * @param attributes passed through to every solution
     * @param clockMs    epoch milliseconds for {@code submittedAtMs}
     */
    public RequestFactory(RequestIds ids, Integer maxSteps, Integer samples, Map<String, String> attributes,
                          LongSupplier clockMs) {
        if (maxSteps != null && maxSteps < 1) {
            throw new IllegalArgumentException("--max-steps must be at least 1, got " + maxSteps);
        }
        if (samples != null && samples < 1) {
            throw new IllegalArgumentException("--samples must be at least 1, got " + samples);
        }
        this.ids = ids;
        this.maxSteps = maxSteps;
        this.samples = samples;
        this.attributes = Map.copyOf(attributes);
        this.clockMs = clockMs;
    }

    public OutgoingRequest build(Puzzle puzzle) {
        String id = ids.next();
        PuzzleRequest request = PuzzleRequest.newBuilder()
                .setId(id)
                .setTask(puzzle.task())
                .setGrid(puzzle.question().toAvro())
                .setPuzzleId(puzzle.puzzleId())
                .setMaxSteps(maxSteps)
                .setSubmittedAtMs(Instant.ofEpochMilli(clockMs.getAsLong()))
                .setAttributes(attributesOf(puzzle))
                .setSamples(samples)
                .build();
        return new OutgoingRequest(request, new PublishedRequest(id, puzzle.task(), puzzle.answer()));
    }

    private Map<String, String> attributesOf(Puzzle puzzle) {
        Map<String, String> all = new HashMap<>(attributes);
        all.putAll(puzzle.attributes());
        return all;
    }
}
