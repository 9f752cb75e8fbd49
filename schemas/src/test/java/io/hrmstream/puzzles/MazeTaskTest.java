package io.hrmstream.puzzles;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.SolveStatus;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MazeTaskTest {

    private final MazeTask task = new MazeTask();

    /** 5x5 with two routes from S to G: 2 moves down the left, 6 around the right. */
    private static final String MAZE =
            "#####" +
            "#S  #" +
            "# # #" +
            "#G  #" +
            "#####";

    private static Grid maze(String cells) {
        int side = (int) Math.sqrt(cells.length());
        return Grids.ofChars(side, side, cells);
    }

    @Test
    void hasTheOfficialCharsetAsTokens() {
        assertEquals("maze", task.name());
        assertEquals(6, task.vocabSize());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5}, task.encode(Grids.ofChars(1, 5, "# SGo")));
    }

    @Test
    void decodeInvertsEncodeAndPadKeepsTheInputCell() {
        Grid answer = maze("#####" + "#S  #" + "#o# #" + "#G  #" + "#####");
        assertEquals(answer, task.decode(task.encode(answer), maze(MAZE)));
        assertEquals(maze(MAZE), task.decode(new int[25], maze(MAZE)));
    }

    @Test
    void rejectsBadInputsSayingWhy() {
        assertEquals(Optional.empty(), task.checkInput(maze(MAZE)));
        assertEquals(Optional.of("cells has 24 bytes, expected rows*cols = 5*5 = 25"),
                task.checkInput(new Grid(5, 5, java.nio.ByteBuffer.wrap(MAZE.substring(1).getBytes()))));
        assertEquals(Optional.of("cell at row 2, col 2 is 'x' (120); maze inputs hold '#' wall, ' ' open, 'S' start and 'G' goal"),
                task.checkInput(maze(MAZE.substring(0, 12) + "x" + MAZE.substring(13))));
        assertEquals(Optional.of("cell at row 1, col 2 is 'o' (111); maze inputs hold '#' wall, ' ' open, 'S' start and 'G' goal"),
                task.checkInput(maze(MAZE.replaceFirst("S ", "So"))));
        assertEquals(Optional.of("a maze needs exactly one 'S' and one 'G', found 1 'S' and 0 'G'"),
                task.checkInput(maze(MAZE.replace('G', ' '))));
        assertEquals(Optional.of("a maze needs exactly one 'S' and one 'G', found 2 'S' and 1 'G'"),
                task.checkInput(maze(MAZE.replaceFirst("S ", "SS"))));
        assertEquals(Optional.of("'G' cannot be reached from 'S' through open cells"),
                task.checkInput(maze("#####" + "#S#G#" + "#####" + "#   #" + "#####")));
    }

    @Test
    void theVerifierAcceptsAShortestPath() {
        assertEquals(2, MazeTask.shortestPathLength(Grids.cells(maze(MAZE)), 5, 5));
        assertEquals(SolveStatus.SOLVED, task.verify(maze(MAZE), maze("#####" + "#S  #" + "#o# #" + "#G  #" + "#####")));
    }

    @Test
    void theVerifierAcceptsAdjacentStartAndGoalWithNoPathCells() {
        Grid adjacent = maze("#####" + "#SG #" + "#   #" + "#   #" + "#####");
        assertEquals(SolveStatus.SOLVED, task.verify(adjacent, adjacent));
    }

    @Test
    void theVerifierRejectsLongerBrokenOrIllegalPaths() {
        Grid input = maze(MAZE);
        // the long way round: contiguous but not shortest
        assertEquals(SolveStatus.INVALID, task.verify(input, maze("#####" + "#Soo#" + "# #o#" + "#Goo#" + "#####")));
        // right count of 'o' cells, but not joining S to G
        assertEquals(SolveStatus.INVALID, task.verify(input, maze("#####" + "#S o#" + "# # #" + "#G  #" + "#####")));
        // no path at all
        assertEquals(SolveStatus.INVALID, task.verify(input, input));
        // a path through a wall
        assertEquals(SolveStatus.INVALID, task.verify(maze("#####" + "#S  #" + "### #" + "#G  #" + "#####"),
                maze("#####" + "#S  #" + "#o# #" + "#G  #" + "#####")));
        // a moved goal
        assertEquals(SolveStatus.INVALID, task.verify(input, maze("#####" + "#S  #" + "#o# #" + "#oG #" + "#####")));
        // wrong shape
        assertEquals(SolveStatus.INVALID, task.verify(input, Grids.ofChars(1, 25, MAZE)));
    }
}
