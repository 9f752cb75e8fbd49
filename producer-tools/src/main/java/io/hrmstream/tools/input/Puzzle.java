package io.hrmstream.tools.input;

import java.util.Map;
import java.util.Objects;

/**
 * A puzzle read or generated on the producer's side, before it becomes a request.
 *
 * @param task     the task name ("sudoku", "maze", "arc", ...)
 * @param question the input grid
 * @param answer   the known answer, or null; it never goes into the request
 * @param puzzleId the model's puzzle-embedding row (0 unless the input says otherwise)
 * @param origin     where it came from, for messages: {@code file:line}, {@code file#test/0}, {@code generated#17}
 * @param attributes request attributes the input itself gives (ARC: the task id, see
 *                   {@link io.hrmstream.schemas.RequestAttributeNames#ARC_TASK})
 */
public record Puzzle(String task, CellGrid question, CellGrid answer, int puzzleId, String origin,
                     Map<String, String> attributes) {

    public Puzzle {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(origin, "origin");
        attributes = Map.copyOf(attributes);
    }

    /** A puzzle whose input gives no attributes. */
    public Puzzle(String task, CellGrid question, CellGrid answer, int puzzleId, String origin) {
        this(task, question, answer, puzzleId, origin, Map.of());
    }
}
