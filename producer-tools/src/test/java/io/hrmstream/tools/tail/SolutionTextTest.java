package io.hrmstream.tools.tail;

import io.hrmstream.puzzles.Grids;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.HaltReason;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.schemas.SolveStatus;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SolutionTextTest {

    private static final String SUDOKU =
            "534678912672195348198342567859761423426853791713924856961537284287419635345286179";
    private static final String[] MAZE = {"#######", "#Sooo #", "# # #o#", "#   #G#", "#######"};

    private static PuzzleSolution.Builder solution(String id, String task, SolveStatus status, Grid grid) {
        return PuzzleSolution.newBuilder()
                .setRequestId(id)
                .setTask(task)
                .setStatus(status)
                .setSolution(grid)
                .setSteps(8)
                .setMaxSteps(16)
                .setHaltedBy(HaltReason.Q_HALT)
                .setHaltConfidence(0.97f)
                .setModel("hrm-test")
                .setWorkerId("w-1")
                .setBatchSize(3)
                .setQueuedMs(1L)
                .setInferenceMs(2L)
                .setLatencyMs(42L)
                .setAttributes(Map.of())
                .setSamples(1)
                .setComputeSteps(8);
    }

    private static Grid sudoku() {
        byte[] cells = new byte[81];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = (byte) (SUDOKU.charAt(i) - '0');
        }
        cells[80] = 0;   // one blank, to see it drawn as '.'
        return Grids.of(9, 9, cells);
    }

    private static Grid maze() {
        return Grids.ofChars(MAZE.length, MAZE[0].length(), String.join("", MAZE));
    }

    private static Grid arc() {
        return Grids.of(2, 5, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    }

    private static String lines(String... lines) {
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    @Test
    void aSudokuIsDrawnWithItsBoxesRuledAndBlanksAsDots() {
        assertEquals(lines(
                "s-1 sudoku SOLVED steps=8/16 haltedBy=Q_HALT confidence=0.970",
                "5 3 4 | 6 7 8 | 9 1 2",
                "6 7 2 | 1 9 5 | 3 4 8",
                "1 9 8 | 3 4 2 | 5 6 7",
                "------+-------+------",
                "8 5 9 | 7 6 1 | 4 2 3",
                "4 2 6 | 8 5 3 | 7 9 1",
                "7 1 3 | 9 2 4 | 8 5 6",
                "------+-------+------",
                "9 6 1 | 5 3 7 | 2 8 4",
                "2 8 7 | 4 1 9 | 6 3 5",
                "3 4 5 | 2 8 6 | 1 7 .",
                ""), SolutionText.grid(solution("s-1", "sudoku", SolveStatus.SOLVED, sudoku()).build(), false));
    }

    @Test
    void aSudokuAsJsonIsOneLineWithTheGridAsRows() {
        assertEquals("{\"requestId\":\"s-1\",\"task\":\"sudoku\",\"status\":\"SOLVED\",\"steps\":8,\"maxSteps\":16,"
                        + "\"haltedBy\":\"Q_HALT\",\"haltConfidence\":0.97,\"samples\":1,\"computeSteps\":8,"
                        + "\"latencyMs\":42,\"error\":null,\"model\":\"hrm-test\",\"workerId\":\"w-1\",\"solution\":["
                        + "\"534678912\",\"672195348\",\"198342567\",\"859761423\",\"426853791\",\"713924856\","
                        + "\"961537284\",\"287419635\",\"34528617.\"]}",
                SolutionText.json(solution("s-1", "sudoku", SolveStatus.SOLVED, sudoku()).build()));
    }

    @Test
    void aMazeIsItsAsciiRows() {
        PuzzleSolution maze = solution("m-1", "maze", SolveStatus.INVALID, maze())
                .setHaltedBy(HaltReason.MAX_STEPS).setHaltConfidence(0.25f).setSteps(16).build();
        assertEquals(lines(
                "m-1 maze INVALID steps=16/16 haltedBy=MAX_STEPS confidence=0.250",
                "#######",
                "#Sooo #",
                "# # #o#",
                "#   #G#",
                "#######",
                ""), SolutionText.grid(maze, false));
        assertEquals("{\"requestId\":\"m-1\",\"task\":\"maze\",\"status\":\"INVALID\",\"steps\":16,\"maxSteps\":16,"
                + "\"haltedBy\":\"MAX_STEPS\",\"haltConfidence\":0.25,\"samples\":1,\"computeSteps\":8,"
                + "\"latencyMs\":42,\"error\":null,\"model\":\"hrm-test\",\"workerId\":\"w-1\",\"solution\":["
                + "\"#######\",\"#Sooo #\",\"# # #o#\",\"#   #G#\",\"#######\"]}",
                SolutionText.json(maze));
    }

    @Test
    void arcColoursAreDigitsAndAnsiOnlyWhenAskedFor() {
        PuzzleSolution arc = solution("a-1", "arc", SolveStatus.ANSWERED, arc())
                .setLatencyMs(null).setSamples(1).build();
        String plain = SolutionText.grid(arc, false);
        assertEquals(lines(
                "a-1 arc ANSWERED steps=8/16 haltedBy=Q_HALT confidence=0.970",
                "01234",
                "56789",
                ""), plain);
        assertFalse(plain.contains("\u001b"));
        assertEquals("{\"requestId\":\"a-1\",\"task\":\"arc\",\"status\":\"ANSWERED\",\"steps\":8,\"maxSteps\":16,"
                        + "\"haltedBy\":\"Q_HALT\",\"haltConfidence\":0.97,\"samples\":1,\"computeSteps\":8,"
                        + "\"latencyMs\":null,\"error\":null,\"model\":\"hrm-test\",\"workerId\":\"w-1\","
                        + "\"solution\":[\"01234\",\"56789\"]}",
                SolutionText.json(arc));

        String coloured = SolutionText.grid(arc, true);
        assertTrue(coloured.contains("\u001b[48;5;196;38;5;15m2 \u001b[0m"), coloured);
        assertEquals(plain.lines().findFirst(), coloured.lines().findFirst(), "the header has no colour");
        assertEquals(3 + 1, coloured.lines().count());
    }

    @Test
    void anArcVoteShowsItsVotesAndTheSecondAttemptInJson() {
        PuzzleSolution voted = solution("a-2", "arc", SolveStatus.ANSWERED, arc())
                .setLatencyMs(null).setSamples(8).setVotes(5).setSecondSolution(arc()).build();

        assertTrue(SolutionText.json(voted).endsWith("\"solution\":[\"01234\",\"56789\"],\"votes\":5,"
                + "\"secondSolution\":[\"01234\",\"56789\"]}"), SolutionText.json(voted));
    }

    @Test
    void aRejectedRequestShowsItsErrorAndNoGrid() {
        PuzzleSolution rejected = solution("x-1", "sudoku", SolveStatus.REJECTED, null)
                .setSteps(0).setHaltedBy(HaltReason.NONE).setHaltConfidence(0f).setSamples(0).setComputeSteps(0)
                .setError("grid has 80 cells, expected 81").build();
        assertEquals(lines(
                "x-1 sudoku REJECTED steps=0/16 haltedBy=NONE confidence=0.000",
                "error: grid has 80 cells, expected 81",
                "(no solution)",
                ""), SolutionText.grid(rejected, false));
        assertTrue(SolutionText.json(rejected).endsWith(
                "\"error\":\"grid has 80 cells, expected 81\",\"model\":\"hrm-test\",\"workerId\":\"w-1\","
                        + "\"solution\":null}"), SolutionText.json(rejected));
    }

    @Test
    void cellsOutsideTheAlphabetAreShownAsQuestionMarks() {
        PuzzleSolution odd = solution("o-1", "maze", SolveStatus.INVALID, Grids.of(1, 3, new byte[] {'#', 0, 'x'}))
                .build();
        assertTrue(SolutionText.grid(odd, false).contains(System.lineSeparator() + "#??" + System.lineSeparator()));
    }

    @Test
    void aGridThatDoesNotFillItsShapeIsRefusedForTheCallerToReport() {
        Grid broken = new Grid(2, 2, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        PuzzleSolution bad = solution("b-1", "arc", SolveStatus.ANSWERED, broken).build();
        assertThrows(IllegalArgumentException.class, () -> SolutionText.json(bad));
        assertThrows(IllegalArgumentException.class, () -> SolutionText.grid(bad, false));
    }
}
