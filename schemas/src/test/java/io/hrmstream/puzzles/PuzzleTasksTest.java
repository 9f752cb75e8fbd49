package io.hrmstream.puzzles;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class PuzzleTasksTest {

    @Test
    void knowsSudokuMazeAndArcByName() {
        assertEquals(Set.of("arc", "maze", "sudoku"), PuzzleTasks.names());
        assertInstanceOf(SudokuTask.class, PuzzleTasks.forName("sudoku").orElseThrow());
        assertInstanceOf(MazeTask.class, PuzzleTasks.forName("maze").orElseThrow());
        assertInstanceOf(ArcTask.class, PuzzleTasks.forName("arc").orElseThrow());
    }

    @Test
    void unknownNamesAreEmpty() {
        assertEquals(Optional.empty(), PuzzleTasks.forName("chess"));
        assertEquals(Optional.empty(), PuzzleTasks.forName("Sudoku"));
        assertEquals(Optional.empty(), PuzzleTasks.forName(null));
    }
}
