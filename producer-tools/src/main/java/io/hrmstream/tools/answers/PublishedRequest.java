package io.hrmstream.tools.answers;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hrmstream.tools.input.CellGrid;

import java.util.Objects;

/**
 * One request that publish sent (and the broker acknowledged), with its known answer when the input had one. The
 * answer stays on the producer's side: it is never put into the request.
 *
 * @param id     the request id, also the record key
 * @param task   the task name ("sudoku", "maze", "arc", ...)
 * @param answer the known answer, or null when the input gave none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PublishedRequest(String id, String task, CellGrid answer) {

    public PublishedRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(task, "task");
    }
}
