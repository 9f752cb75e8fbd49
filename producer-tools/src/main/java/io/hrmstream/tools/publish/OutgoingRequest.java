package io.hrmstream.tools.publish;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.tools.answers.PublishedRequest;

/**
 * A request ready to send and what the tools keep of it once acknowledged.
 *
 * @param request the record value, keyed by its id
 * @param kept    the id, task and known answer that stay local (the answers file, bench's tally)
 */
public record OutgoingRequest(PuzzleRequest request, PublishedRequest kept) {
}
