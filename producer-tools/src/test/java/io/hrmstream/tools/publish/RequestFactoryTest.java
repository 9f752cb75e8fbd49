package io.hrmstream.tools.publish;

import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.tools.input.CellGrid;
import io.hrmstream.tools.input.Puzzle;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestFactoryTest {

    private static final CellGrid QUESTION = new CellGrid(1, 3, new byte[] {0, 2, 0});
    private static final CellGrid ANSWER = new CellGrid(1, 3, new byte[] {1, 2, 3});

    @Test
    void aRequestCarriesTheQuestionAndMetadataButNeverTheAnswer() {
        RequestFactory factory = new RequestFactory(RequestIds.numbered("run1"), 12, null, Map.of("bench", "b1"),
                () -> 1_700_000_000_123L);
        OutgoingRequest outgoing = factory.build(new Puzzle("sudoku", QUESTION, ANSWER, 3, "f:1"));
        PuzzleRequest request = outgoing.request();

        assertEquals("run1-0", request.getId());
        assertEquals("sudoku", request.getTask());
        assertTrue(QUESTION.matches(request.getGrid()));
        assertEquals(3, request.getPuzzleId());
        assertEquals(12, request.getMaxSteps());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), request.getSubmittedAtMs());
        assertEquals(Map.of("bench", "b1"), request.getAttributes());
        assertTrue(request.toString().indexOf("\\u0001\\u0002\\u0003") < 0);

        assertEquals("run1-0", outgoing.kept().id());
        assertEquals(ANSWER, outgoing.kept().answer());
    }

    @Test
    void idsAreNumberedWithThePrefixOrRandomUuids() {
        RequestFactory numbered = new RequestFactory(RequestIds.numbered("p"), null, null, Map.of(), () -> 0L);
        Puzzle puzzle = new Puzzle("sudoku", QUESTION, null, 0, "f:1");
        assertEquals("p-0", numbered.build(puzzle).request().getId());
        assertEquals("p-1", numbered.build(puzzle).request().getId());

        RequestFactory random = new RequestFactory(RequestIds.randomUuids(), null, null, Map.of(), () -> 0L);
        String id = random.build(puzzle).request().getId();
        assertEquals(id, UUID.fromString(id).toString());
        assertNull(random.build(puzzle).request().getMaxSteps(), "no cap unless asked");
    }

    @Test
    void aStepCapBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new RequestFactory(RequestIds.randomUuids(), 0, null, Map.of(), () -> 0L));
    }
}
