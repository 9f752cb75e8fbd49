package io.hrmstream.puzzles;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.SolveStatus;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ArcTaskTest {

    private final ArcTask task = new ArcTask();

    @Test
    void hasTheOfficialVocabulary() {
        assertEquals("arc", task.name());
        assertEquals(12, task.vocabSize());
    }

    @Test
    void encodesOnA30By30CanvasWithEndOfSequenceBelowAndRightOfTheGrid() {
        int[] tokens = task.encode(Grids.of(2, 3, new byte[] {0, 1, 2, 3, 4, 9}));

        assertEquals(900, tokens.length);
        assertArrayEquals(new int[] {2, 3, 4, 1, 0}, java.util.Arrays.copyOfRange(tokens, 0, 5));
        assertArrayEquals(new int[] {5, 6, 11, 1, 0}, java.util.Arrays.copyOfRange(tokens, 30, 35));
        // the EOS row stops under the grid: the corner (row 2, col 3) stays pad, as in the official _pad_grid
        assertArrayEquals(new int[] {1, 1, 1, 0, 0}, java.util.Arrays.copyOfRange(tokens, 60, 65));
        assertEquals(6 + 3 + 2, java.util.Arrays.stream(tokens).filter(t -> t != 0).count(), "6 colours, 3 + 2 EOS");
    }

    @Test
    void aFullSizeGridHasNoEndOfSequenceTokens() {
        int[] tokens = task.encode(Grids.of(30, 30, new byte[900]));
        assertEquals(900, java.util.Arrays.stream(tokens).filter(t -> t == 2).count());
    }

    @Test
    void decodeCropsTheLargestTopLeftRectangleOfColours() {
        Grid grid = Grids.of(2, 3, new byte[] {0, 1, 2, 3, 4, 9});
        assertEquals(grid, task.decode(task.encode(grid), grid));

        // a ragged prediction: row 0 has 4 colours, row 1 has 2, row 2 has 2 -> 3x2 (area 6) beats 1x4
        int[] ragged = new int[900];
        for (int c = 0; c < 4; c++) ragged[c] = 7;
        for (int r = 1; r < 3; r++) for (int c = 0; c < 2; c++) ragged[r * 30 + c] = 8;
        assertEquals(Grids.of(3, 2, new byte[] {5, 5, 6, 6, 6, 6}), task.decode(ragged, grid));

        assertEquals(Grids.of(0, 0, new byte[0]), task.decode(new int[900], grid));
    }

    @Test
    void rejectsBadInputsSayingWhy() {
        assertEquals(Optional.empty(), task.checkInput(Grids.of(1, 30, new byte[30])));
        assertEquals(Optional.of("ARC grids are at most 30x30, got 31x1"), task.checkInput(Grids.of(31, 1, new byte[31])));
        assertEquals(Optional.of("grid is 0x0; rows and cols must be >= 1"), task.checkInput(Grids.of(0, 0, new byte[0])));
        assertEquals(Optional.of("cell at row 0, col 1 is 10; ARC colours are 0..9"),
                task.checkInput(Grids.of(1, 2, new byte[] {9, 10})));
    }

    @Test
    void hasNoVerifier() {
        Grid grid = Grids.of(1, 1, new byte[] {3});
        assertEquals(SolveStatus.ANSWERED, task.verify(grid, grid));
    }
}
