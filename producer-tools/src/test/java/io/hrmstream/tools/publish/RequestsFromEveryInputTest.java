package io.hrmstream.tools.publish;

import io.hrmstream.puzzles.PuzzleTasks;
import io.hrmstream.puzzles.data.ArcIdentifiers;
import io.hrmstream.schemas.PuzzleRequest;
import io.hrmstream.schemas.RequestAttributeNames;
import io.hrmstream.tools.input.ArcJsonSource;
import io.hrmstream.tools.input.GeneratedSource;
import io.hrmstream.tools.input.GeneratorSpec;
import io.hrmstream.tools.input.HrmCsvSource;
import io.hrmstream.tools.input.InputFile;
import io.hrmstream.tools.input.Preflight;
import io.hrmstream.tools.input.Puzzle;
import io.hrmstream.tools.input.PuzzleSource;
import io.hrmstream.tools.input.SudokuLinesSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** From each input format to the request on the wire: the question goes, the answer stays. */
class RequestsFromEveryInputTest {

    private static final String Q =
            "..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3..";
    private static final String A =
            "483921657967345821251876493548132976729564138136798245372689514814253769695417382";

    @TempDir
    Path dir;

    private static List<OutgoingRequest> requests(PuzzleSource source) throws IOException {
        RequestFactory factory = new RequestFactory(RequestIds.numbered("f"), null, null, Map.of(), () -> 42L);
        return Preflight.load(source, -1, true).stream().map(factory::build).toList();
    }

    private static void assertValidRequestWithoutAnswer(OutgoingRequest outgoing, Puzzle puzzle) {
        PuzzleRequest request = outgoing.request();
        assertTrue(PuzzleTasks.forName(request.getTask()).orElseThrow().checkInput(request.getGrid()).isEmpty());
        assertTrue(puzzle.question().matches(request.getGrid()));
        assertEquals(puzzle.attributes(), request.getAttributes(), "the input's own attributes, nothing of the answer");
        assertEquals(puzzle.answer(), outgoing.kept().answer());
    }

    @Test
    void sudokuLinesBecomeSudokuRequestsWithoutAnswers() throws IOException {
        SudokuLinesSource source = new SudokuLinesSource(
                InputFile.ofBytes("p.txt", (Q + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        OutgoingRequest outgoing = requests(source).get(0);
        assertValidRequestWithoutAnswer(outgoing, Preflight.load(source, 1, true).get(0));
        assertEquals(null, outgoing.kept().answer());
    }

    @Test
    void hrmCsvRowsKeepTheirAColumnLocal() throws IOException {
        HrmCsvSource source = new HrmCsvSource(InputFile.ofBytes("d.csv",
                ("source,q,a,rating\nx," + Q + "," + A + ",3\n").getBytes(StandardCharsets.UTF_8)), "sudoku", 0);
        OutgoingRequest outgoing = requests(source).get(0);
        assertValidRequestWithoutAnswer(outgoing, Preflight.load(source, 1, true).get(0));
        assertNotNull(outgoing.kept().answer());
    }

    @Test
    void arcTestPairsBecomeArcRequestsWithTheirPuzzleId() throws IOException {
        Path file = dir.resolve("t1.json");
        Files.writeString(file, "{\"train\": [], \"test\": [{\"input\": [[1, 2], [3, 4]], \"output\": [[4, 3], [2, 1]]}]}");
        ArcJsonSource source = new ArcJsonSource(file, Optional.of(ArcIdentifiers.of(List.of("<blank>", "a", "b", "c", "d", "t1"))), 0);
        OutgoingRequest outgoing = requests(source).get(0);
        assertValidRequestWithoutAnswer(outgoing, Preflight.load(source, 1, true).get(0));
        assertEquals("arc", outgoing.request().getTask());
        assertEquals(5, outgoing.request().getPuzzleId());
        assertEquals("t1", outgoing.request().getAttributes().get(RequestAttributeNames.ARC_TASK));
    }

    @Test
    void generatedMazesBecomeMazeRequests() throws IOException {
        GeneratedSource source = new GeneratedSource(new GeneratorSpec("maze", 0, 0, 7, 0.1, 4, 8), 2, 0);
        List<OutgoingRequest> outgoing = requests(source);
        List<Puzzle> puzzles = Preflight.load(source, -1, true);
        assertEquals(2, outgoing.size());
        assertValidRequestWithoutAnswer(outgoing.get(1), puzzles.get(1));
        assertEquals("f-1", outgoing.get(1).request().getId());
        assertEquals(42L, outgoing.get(1).request().getSubmittedAtMs().toEpochMilli());
    }
}
