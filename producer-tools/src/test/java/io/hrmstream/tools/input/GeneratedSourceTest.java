package io.hrmstream.tools.input;

import io.hrmstream.puzzles.PuzzleTasks;
import io.hrmstream.schemas.SolveStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratedSourceTest {

    private static List<Puzzle> all(GeneratedSource source) {
        List<Puzzle> puzzles = new ArrayList<>();
        try (PuzzleStream stream = source.open()) {
            stream.forEachRemaining(puzzles::add);
        }
        return puzzles;
    }

    @Test
    void sudokusComeWithVerifiedAnswersAndGivensInRange() {
        List<Puzzle> puzzles = all(new GeneratedSource(
                new GeneratorSpec("sudoku", 40, 45, 0, 0, 0, 11), 3, 0));
        assertEquals(3, puzzles.size());
        for (Puzzle p : puzzles) {
            Preflight.check(p);
            long givens = 0;
            for (byte cell : p.question().cells()) {
                givens += cell == 0 ? 0 : 1;
            }
            assertTrue(givens >= 40 && givens <= 45, "givens " + givens);
            assertEquals(SolveStatus.SOLVED, PuzzleTasks.forName("sudoku").orElseThrow()
                    .verify(p.question().toAvro(), p.answer().toAvro()));
        }
    }

    @Test
    void mazesHaveTheSizeAskedAndAShortestPathAnswer() {
        List<Puzzle> puzzles = all(new GeneratedSource(new GeneratorSpec("maze", 0, 0, 9, 0.1, 6, 5), 2, 0));
        for (Puzzle p : puzzles) {
            Preflight.check(p);
            assertEquals(9, p.question().rows());
            assertEquals(SolveStatus.SOLVED, PuzzleTasks.forName("maze").orElseThrow()
                    .verify(p.question().toAvro(), p.answer().toAvro()));
        }
    }

    @Test
    void theSameSeedGivesTheSamePuzzlesOnEveryPass() {
        GeneratedSource source = new GeneratedSource(new GeneratorSpec("sudoku", 30, 40, 0, 0, 0, 3), 2, 0);
        assertEquals(all(source), all(source));
    }

    @Test
    void onlySudokuAndMazeCanBeGenerated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GeneratorSpec("arc", 30, 40, 9, 0.1, 9, 1));
        assertTrue(e.getMessage().contains("'arc'"));
    }
}
