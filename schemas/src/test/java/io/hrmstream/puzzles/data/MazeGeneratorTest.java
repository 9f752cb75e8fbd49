package io.hrmstream.puzzles.data;

import io.hrmstream.puzzles.Grids;
import io.hrmstream.puzzles.MazeTask;
import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.SolveStatus;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MazeGeneratorTest {

    private final MazeTask task = new MazeTask();

    @Test
    void everyMazeIsAValidInputWithAShortestPathAnswer() {
        MazeGenerator generator = new MazeGenerator(15, 0.1, 20, 1);
        for (int i = 0; i < 10; i++) {
            MazePuzzle puzzle = generator.next();

            assertEquals(Optional.empty(), task.checkInput(puzzle.maze()));
            assertEquals(SolveStatus.SOLVED, task.verify(puzzle.maze(), puzzle.solution()));
            assertTrue(puzzle.pathLength() >= 20);
            assertEquals(puzzle.pathLength(), MazeTask.shortestPathLength(Grids.cells(puzzle.maze()), 15, 15));
            long pathCells = new String(Grids.cells(puzzle.solution())).chars().filter(c -> c == 'o').count();
            assertEquals(puzzle.pathLength() - 1, pathCells);
        }
    }

    @Test
    void theMarkedPathIsTheOnlyShortestPathSoTheLabelIsTheOnlyRightAnswer() {
        MazeGenerator generator = new MazeGenerator(11, 0.3, 8, 7);   // many loops: ties would be common
        for (int i = 0; i < 20; i++) {
            MazePuzzle puzzle = generator.next();
            byte[] maze = Grids.cells(puzzle.maze());
            byte[] solved = Grids.cells(puzzle.solution());
            for (int cell = 0; cell < solved.length; cell++) {
                if (solved[cell] != MazeTask.PATH) continue;
                byte[] blocked = maze.clone();
                blocked[cell] = MazeTask.WALL;   // a second shortest path would survive losing this cell
                int detour = MazeTask.shortestPathLength(blocked, 11, 11);
                assertTrue(detour < 0 || detour > puzzle.pathLength(), "maze " + i + " cell " + cell);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameMazes() {
        assertEquals(new MazeGenerator(10, 0.2, 5, 4).next(), new MazeGenerator(10, 0.2, 5, 4).next());
        assertNotEquals(new MazeGenerator(10, 0.2, 5, 4).next(), new MazeGenerator(10, 0.2, 5, 5).next());
    }

    @Test
    void allEightDihedralTransformsOfASolvedMazeStaySolved() {
        MazePuzzle puzzle = new MazeGenerator(9, 0.15, 8, 2).next();
        for (int t = 0; t < Dihedral.COUNT; t++) {
            MazePuzzle moved = MazeGenerator.transform(puzzle, t);
            assertEquals(SolveStatus.SOLVED, task.verify(moved.maze(), moved.solution()), "transform " + t);
        }
    }

    @Test
    void anImpossiblePathLengthFailsInsteadOfLoopingForever() {
        MazeGenerator generator = new MazeGenerator(3, 0.0, 9, 1);
        assertThrows(IllegalStateException.class, generator::next);
    }

    @Test
    void dihedralTransformsAreNumberedAsTheOfficialNumpyOnes() {
        Grid grid = Grids.of(2, 3, new byte[] {1, 2, 3, 4, 5, 6});
        byte[][] expected = {
                {1, 2, 3, 4, 5, 6},  // identity
                {3, 6, 2, 5, 1, 4},  // np.rot90(k=1)
                {6, 5, 4, 3, 2, 1},  // np.rot90(k=2)
                {4, 1, 5, 2, 6, 3},  // np.rot90(k=3)
                {3, 2, 1, 6, 5, 4},  // np.fliplr
                {4, 5, 6, 1, 2, 3},  // np.flipud
                {1, 4, 2, 5, 3, 6},  // .T
                {6, 3, 5, 2, 4, 1},  // np.fliplr(np.rot90(k=1))
        };
        for (int t = 0; t < Dihedral.COUNT; t++) {
            Grid moved = Dihedral.transform(grid, t);
            boolean swaps = t == 1 || t == 3 || t == 6 || t == 7;
            assertEquals(Grids.of(swaps ? 3 : 2, swaps ? 2 : 3, expected[t]), moved, "transform " + t);
            assertEquals(grid, Dihedral.transform(moved, Dihedral.inverse(t)), "inverse of " + t);
        }
    }
}
